#!/usr/bin/env bash
# Learned suggestions at scale (issue 28), in release mode, whole processes.
#
#   DATA=/tmp/bench-data Benchmarks/suggest.sh    # needs $DATA/docs_100MB and $DATA/codebook_1000.yaml
#
# 1. The 100 MB benchmark project: the documents of docs_100MB ingested and auto-coded
#    with the 1,000-keyword codebook (`qda analyze`), built once into $DATA/suggest-100MB.sqlite.
# 2. A person's codings: a copy in which the auto-coder's codings of the first documents,
#    up to 10,000 segments, are given to a person (`ann`), as if she had coded them.
# 3. Timed, RUNS times each, as whole processes:
#    - `qda suggest train` on the copy: 10,000 coded segments, a model per code;
#    - `qda suggest run` over every segment of the copy (scoring and storing the suggestions)
#      against `qda code --all` on the same project (the auto-coder re-reading and re-coding
#      every segment), paired run by run: the throughput ratio is the auto-coder's time over
#      the suggester's.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/Benchmarks/seconds.sh"
DATA=${DATA:?set DATA to the folder with docs_100MB and codebook_1000.yaml}
RUNS=${RUNS:-3}
cd "$repo"
swift build -c release --product qda >&2
QDA=$repo/.build/release/qda
base=$DATA/suggest-100MB.sqlite
if [ ! -s "$base" ]; then
    echo "building $base" >&2
    "$QDA" analyze "$DATA/docs_100MB" --codebook "$DATA/codebook_1000.yaml" --no-gazetteer --project "$base" --quiet > /dev/null
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
project=$work/coded.sqlite
cp "$base" "$project"
python3 - "$project" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN")
# The first documents whose countable segments make up 10,000.
total, last = 0, None
for document, count in db.execute(
        "SELECT document_id, COUNT(*) FROM segment WHERE interviewer = 0 GROUP BY document_id ORDER BY document_id"):
    total += count
    last = document
    if total >= 10000:
        break
db.execute("UPDATE coding SET coder = 'ann' WHERE coder = 'auto' AND document_id <= ?", (last,))
db.execute("UPDATE project_info SET value = '0' WHERE key = 'segment_code_fresh'")
db.execute("COMMIT")
segments = db.execute("SELECT COUNT(*) FROM segment WHERE interviewer = 0").fetchone()[0]
coded = db.execute("SELECT COUNT(DISTINCT segment_id) FROM coding WHERE coder = 'ann'").fetchone()[0]
print(f"project: {segments} segments; ann's units: {total} segments in the documents she coded, {coded} of them coded", file=sys.stderr)
PY
echo "qda suggest train (seconds, $RUNS runs):"
for _ in $(seq "$RUNS"); do seconds 2 "$QDA" suggest train --project "$project" --quiet; done
"$QDA" suggest train --project "$project"
echo "qda suggest run vs qda code --all (seconds; ratio = code / suggest, the suggester's throughput relative to the auto-coder's):"
for _ in $(seq "$RUNS"); do
    s=$(seconds 2 "$QDA" suggest run --project "$project" --quiet)
    c=$(seconds 2 "$QDA" code --all --project "$project" --quiet)
    python3 -c "print('suggest %s  code %s  ratio %.2f' % ('$s', '$c', $c / $s))"
done
"$QDA" suggest run --project "$project"
