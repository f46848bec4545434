#!/usr/bin/env python3
"""What SQLite alone costs to store what each pipeline stored: the rows of a finished
project copied into an empty file of the same schema with INSERT ... SELECT (no parsing,
no matching, no per-row calls from Swift or Python), committed, timed.

    python3 storage_floor.py PYTHON_DB QDA_DB EMPTY_QDA_PROJECT

PYTHON_DB is what python_pipeline.py wrote, QDA_DB what `qda analyze` wrote, and
EMPTY_QDA_PROJECT a project of the same qda (schema version) with the same codebook
loaded and nothing else (its code ids must match QDA_DB's). Prints one line per schema
(qda's also with the indexes a first ingest defers, as a first ingest now stores: through
a rollback journal, indexes at the end, and before schema v9 without the segments' copy
of their text): seconds for the inserts, for the commit, and in all.
"""
import os
import shutil
import sqlite3
import sys
import tempfile
import time

def replay(target, source, tables, pragmas, columns=None, deferred=()):
    """Copies `tables`; `columns` gives, for some tables, the columns to copy; the indexes
    named in `deferred` are dropped first and built after the copy, inside the timing."""
    columns = columns or {}
    db = sqlite3.connect(target, isolation_level=None)
    for pragma in pragmas:
        db.execute(pragma)
    db.execute("ATTACH ? AS src", (source,))
    start = time.perf_counter()
    db.execute("BEGIN")
    rebuild = [sql for name in deferred
               for (sql,) in db.execute("SELECT sql FROM main.sqlite_master WHERE name = ?", (name,))]
    for name in deferred:
        db.execute(f"DROP INDEX main.{name}")
    for table in tables:
        if table in columns:
            names = ", ".join(columns[table])
            db.execute(f"INSERT INTO main.{table} ({names}) SELECT {names} FROM src.{table}")
        else:
            db.execute(f"INSERT INTO main.{table} SELECT * FROM src.{table}")
    for sql in rebuild:
        db.execute(sql)
    inserted = time.perf_counter()
    db.execute("COMMIT")
    done = time.perf_counter()
    db.close()
    return inserted - start, done - inserted, done - start


def main():
    python_db, qda_db, empty_project = sys.argv[1:4]
    with tempfile.TemporaryDirectory() as folder:
        target = os.path.join(folder, "py.sqlite")
        # The Python pipeline's own schema, as it created it.
        with sqlite3.connect(python_db) as source:
            tables = [sql for (sql,) in source.execute("SELECT sql FROM sqlite_master WHERE type = 'table'")]
        db = sqlite3.connect(target)
        db.execute("PRAGMA journal_mode = WAL")
        for sql in tables:
            db.execute(sql)
        db.commit()
        db.close()
        py = replay(target, python_db, ["document", "segment", "coding"], [])
        # The tables a first ingest and coding fill, as far as this project's schema has
        # them (coding_run since v9); the schema is whatever version made QDA_DB.
        with sqlite3.connect(qda_db) as source:
            present = {name for (name,) in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            indexes = {name for (name,) in source.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
            segment_columns = [row[1] for row in source.execute("PRAGMA table_info(segment)")]
        qda_tables = [t for t in ["document", "coding_run", "segment", "segment_region", "coding", "coding_state"]
                      if t in present]
        qda_pragmas = ["PRAGMA foreign_keys = ON", "PRAGMA synchronous = NORMAL", "PRAGMA cache_size = -65536",
                       "PRAGMA journal_mode = WAL"]
        target = os.path.join(folder, "qda.sqlite")
        shutil.copy(empty_project, target)
        qda = replay(target, qda_db, qda_tables, qda_pragmas)
        # The same with the indexes a first ingest builds at its end (Project.ingest): five
        # up to schema v8, three since.
        deferred_indexes = [name for name in ["segment_countable", "segment_position", "coding_segment",
                                              "coding_code", "coding_document"] if name in indexes]
        target = os.path.join(folder, "qda-deferred.sqlite")
        shutil.copy(empty_project, target)
        deferred = replay(target, qda_db, qda_tables, qda_pragmas, deferred=deferred_indexes)
        # What a first ingest does now (Project.writeFirstFill): a rollback journal instead
        # of the log, so that new pages are written once, and the deferred indexes at the end.
        first_fill = [pragma.replace("journal_mode = WAL", "journal_mode = DELETE") for pragma in qda_pragmas]
        target = os.path.join(folder, "qda-first-fill.sqlite")
        shutil.copy(empty_project, target)
        fill = replay(target, qda_db, qda_tables, first_fill, deferred=deferred_indexes)
        rows = [("Python pipeline's schema", py), ("qda's schema", qda),
                (f"qda's schema, {len(deferred_indexes)} indexes built at the end", deferred),
                ("qda's schema, first fill through a rollback journal", fill)]
        if "text" in segment_columns:
            # Before v9: the same without the segments' own copy of their text.
            target = os.path.join(folder, "qda-offsets.sqlite")
            shutil.copy(empty_project, target)
            with sqlite3.connect(target) as db:
                db.execute("ALTER TABLE segment DROP COLUMN text")
                kept = [row[1] for row in db.execute("PRAGMA table_info(segment)")]
            rows.append(("qda's schema without segment text", replay(target, qda_db, qda_tables, qda_pragmas,
                                                                     {"segment": kept})))
    for label, (inserts, commit, total) in rows:
        print(f"| storage floor, {label} | inserts {inserts:.3f} s + commit {commit:.3f} s = {total:.3f} s |")


if __name__ == "__main__":
    main()
