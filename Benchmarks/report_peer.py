#!/usr/bin/env python3
"""The floor a report has to beat: the same aggregate as one SQL statement through
Python's sqlite3 on the same project file, printed as TSV (Benchmarks/reports.sh).

    python3 report_peer.py PROJECT matrix        # region x code: coded segments, documents
    python3 report_peer.py PROJECT cooccurrence  # code x code: segments with both
    python3 report_peer.py PROJECT search WORD   # segments whose text contains WORD (LIKE scan)
"""
import sqlite3
import sys

QUERIES = {
    "matrix": """
        SELECT sr.region, k.key, COUNT(DISTINCT c.segment_id), COUNT(DISTINCT c.document_id)
        FROM coding c JOIN code_closure cc ON cc.descendant_id = c.code_id
        JOIN code k ON k.id = cc.ancestor_id
        JOIN segment_region sr ON sr.segment_id = c.segment_id
        GROUP BY sr.region, k.key""",
    "cooccurrence": """
        WITH sc AS (SELECT DISTINCT segment_id, code_id FROM coding)
        SELECT a.code_id, b.code_id, COUNT(*) FROM sc a JOIN sc b
            ON a.segment_id = b.segment_id AND a.code_id < b.code_id
        GROUP BY a.code_id, b.code_id""",
    # Since schema v9 a segment's text is its span of the document (the view segment_text).
    "search": "SELECT id, text FROM segment_text WHERE text LIKE ? ORDER BY id LIMIT 20",
}


def main():
    project, kind = sys.argv[1], sys.argv[2]
    db = sqlite3.connect(f"file:{project}?mode=ro", uri=True)
    args = ("%" + sys.argv[3] + "%",) if kind == "search" else ()
    out = sys.stdout
    for row in db.execute(QUERIES[kind], args):
        out.write("\t".join(str(v) for v in row) + "\n")
    if kind == "search":
        count = db.execute("SELECT COUNT(*) FROM segment_text WHERE text LIKE ?", args).fetchone()[0]
        out.write(f"{count}\n")


if __name__ == "__main__":
    main()
