#!/usr/bin/env bash
# The workbench server on the 100 MB benchmark project (issue 25), in release mode.
#
#   Benchmarks/server.sh                      # builds the project once into $DATA
#   DATA=/tmp/bench-data ACTIONS=300 Benchmarks/server.sh
#
# The project: the 100 MB benchmark corpus as one file per document (interviews by speaker
# turn), the 1,000-keyword codebook, auto-coded. Each run works on a fresh copy of it.
# Needs chromium, chromium-driver and selenium (pip install selenium) for the page timing.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
BENCH=${BENCH:-$repo/../shared/bench}
DATA=${DATA:-$(mktemp -d /tmp/qda-bench.XXXXXX)}
cd "$repo"
swift build -c release --product qda >&2
QDA=$repo/.build/release/qda
DATA=$DATA SIZES="100MB" KS="1000" sh "$BENCH/make_data.sh" >&2
docs=$DATA/docs_100MB
[ -d "$docs" ] || python3 "$repo/Benchmarks/make_documents.py" "$DATA/corpus_100MB.txt" "$docs"
[ -s "$DATA/codebook_1000.yaml" ] ||
    python3 "$repo/Benchmarks/codebook_to_yaml.py" "$DATA/codebook_1000.json" > "$DATA/codebook_1000.yaml"
project=$DATA/server.sqlite
if [ ! -s "$project" ]; then
    echo "building $project (ingest, code)" >&2
    "$QDA" ingest "$docs" --project "$project" --quiet
    "$QDA" codebook load "$DATA/codebook_1000.yaml" --project "$project" --quiet
    "$QDA" code --project "$project" --quiet
    "$QDA" report patterns --project "$project" > /dev/null
fi
copy=$DATA/server-run.sqlite
rm -f "$copy" "$copy-wal" "$copy-shm"
sqlite3 "$project" ".backup '$copy'"
python3 "$repo/Benchmarks/server.py" "$QDA" "$copy" --actions "${ACTIONS:-300}" --rounds "${ROUNDS:-5}"
