#!/usr/bin/env python3
"""The peer of `qda analyze` in the end-to-end benchmark: the same steps in Python.

Reads every document of a folder, takes its region from the front matter, splits it into
segments (one per non-empty line, as turns are lines in the benchmark corpus), matches
the codebook with pyahocorasick (the peers' semantics: boundaries, stems, leftmost-
longest), stores documents, segments and codings in SQLite in one transaction, and
prints the per-region, per-code counts (GROUP BY region, code).

    python3 python_pipeline.py CODEBOOK.json FOLDER DB.sqlite
"""
import os
import re
import sqlite3
import sys

import ahocorasick

sys.path.insert(0, os.environ.get("BENCH", os.path.join(os.path.dirname(__file__), "..", "..", "shared", "bench")))
from common import WORDCHARS, load_patterns, pick_leftmost_longest  # noqa: E402

WORD_TAIL = re.compile(r"[a-z0-9_]*")


def main():
    codebook, folder, db_path = sys.argv[1:4]
    pats = load_patterns(codebook)
    automaton = ahocorasick.Automaton()
    for p in pats:
        automaton.add_word(p.lit, p.idx)
    automaton.make_automaton()
    info = [(len(p.lit), p.wild, p.zh, p.code) for p in pats]
    if os.path.exists(db_path):
        os.remove(db_path)
    db = sqlite3.connect(db_path)
    db.executescript("""
        PRAGMA journal_mode = WAL;
        CREATE TABLE document (id INTEGER PRIMARY KEY, name TEXT, region TEXT, text TEXT);
        CREATE TABLE segment (id INTEGER PRIMARY KEY, document_id INTEGER, start INTEGER, end INTEGER,
                              region TEXT, text TEXT);
        CREATE TABLE coding (id INTEGER PRIMARY KEY, segment_id INTEGER, code INTEGER, start INTEGER,
                             end INTEGER, region TEXT);
    """)
    tail = WORD_TAIL.match
    db.execute("BEGIN")
    segment_id = 0
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            text = f.read()
        region = None
        body = text
        if text.startswith("---\n"):
            end = text.index("\n---\n", 4)
            for line in text[4:end].split("\n"):
                key, _, value = line.partition(":")
                if key.strip() == "region":
                    region = value.strip()
            body = text[end + 5:]
        cur = db.execute("INSERT INTO document (name, region, text) VALUES (?, ?, ?)", (name, region, body))
        document_id = cur.lastrowid
        segments, codings = [], []
        offset = 0
        for line in body.split("\n"):
            if line.strip():
                segment_id += 1
                segments.append((segment_id, document_id, offset, offset + len(line), region, line))
                lower = line.lower()
                n = len(lower)
                cands = []
                for end_index, idx in automaton.iter(lower):
                    plen, wild, zh, code = info[idx]
                    start = end_index - plen + 1
                    e = end_index + 1
                    if not zh:
                        if start > 0 and lower[start - 1] in WORDCHARS:
                            continue
                        if wild:
                            e = tail(lower, e).end()
                        elif e < n and lower[e] in WORDCHARS:
                            continue
                    cands.append((start, e, plen, wild, code))
                if cands:
                    cands.sort(key=lambda t: (t[0], -t[2], t[3]))
                    pos = -1
                    for s, e, _, _, code in cands:
                        if s >= pos:
                            codings.append((segment_id, code, offset + s, offset + e, region))
                            pos = e
            offset += len(line) + 1
        db.executemany("INSERT INTO segment VALUES (?, ?, ?, ?, ?, ?)", segments)
        db.executemany("INSERT INTO coding (segment_id, code, start, end, region) VALUES (?, ?, ?, ?, ?)", codings)
    db.execute("COMMIT")
    rows = db.execute("SELECT region, code, COUNT(DISTINCT segment_id) FROM coding GROUP BY region, code").fetchall()
    print(f"{len(rows)} region-code cells, {sum(r[2] for r in rows)} coded segment-code pairs")


if __name__ == "__main__":
    main()
