#!/usr/bin/env python3
"""Split a benchmark corpus (one file, many front-matter documents) into one file per
document, front matter kept, so that `qda analyze` and the Python pipeline read a folder
of interviews as researchers have them.

    python3 make_documents.py CORPUS.txt OUTDIR
"""
import os
import sys


def main():
    corpus, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    count = 0
    current = []
    doc_id = None

    def flush():
        nonlocal count
        if current:
            name = doc_id or f"D{count:06d}"
            with open(os.path.join(out, name + ".txt"), "w", encoding="utf-8") as f:
                f.writelines(current)
            count += 1

    with open(corpus, encoding="utf-8") as f:
        in_front = False
        for line in f:
            if line == "---\n" and not in_front and (not current or current[-1] != "---\n"):
                # A new document starts at an opening delimiter outside front matter.
                if current and not in_front:
                    flush()
                    current = []
                    doc_id = None
                in_front = True
                current.append(line)
                continue
            if in_front and line == "---\n":
                in_front = False
                current.append(line)
                continue
            if in_front and line.startswith("doc_id:"):
                doc_id = line.split(":", 1)[1].strip()
            current.append(line)
    flush()
    print(f"{count} documents in {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
