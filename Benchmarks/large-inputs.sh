#!/usr/bin/env bash
# Large and many inputs, and the maintenance commands, in release mode (issue 10):
#   Benchmarks/large-inputs.sh                       # 200 MB one-line file, 100,000 files
#   MB=50 FILES=10000 DATA=/tmp/bench-data Benchmarks/large-inputs.sh
# Prints wall time and peak memory of `qda ingest` on a one-line file of MB megabytes and on
# FILES tiny files (generated as Tests/qdaTests/HostileInputTests.swift does), and of
# `qda check` and `qda backup` on $DATA/million.sqlite when Benchmarks/reports.sh built it.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
DATA=${DATA:-$(mktemp -d /tmp/qda-large.XXXXXX)}
MB=${MB:-200}
FILES=${FILES:-100000}
cd "$repo"
swift build -c release --product qda >&2
QDA=$repo/.build/release/qda
work=$(mktemp -d "$DATA/large.XXXXXX")
trap 'rm -rf "$work"' EXIT
python3 - "$work" "$MB" "$FILES" <<'PY'
import os, sys
work, mb, files = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
line = "market demand grows while universities train engineers " * (1 << 14)
os.makedirs(f"{work}/big")
with open(f"{work}/big/line.txt", "w") as f:
    n = 0
    while n < mb << 20:
        f.write(line)
        n += len(line)
for i in range(files):
    d = f"{work}/many/{i // 1000}"
    os.makedirs(d, exist_ok=True)
    with open(f"{d}/f{i}.txt", "w") as f:
        f.write(f"File {i} on markets.\n")
PY
measure() {
    local label=$1
    shift
    /usr/bin/time -f "| $label | %e s | %M KiB |" "$@" > /dev/null
}
echo "| run | wall | peak |"
echo "|---|---|---|"
measure "ingest a ${MB} MB one-line file" "$QDA" ingest "$work/big" --project "$work/big.sqlite" --quiet
measure "ingest ${FILES} tiny files" "$QDA" ingest "$work/many" --project "$work/many.sqlite" --quiet
if [ -s "$DATA/million.sqlite" ]; then
    measure "check the million-segment project" "$QDA" check --project "$DATA/million.sqlite"
    measure "backup the million-segment project" "$QDA" backup "$work/backup.sqlite" --project "$DATA/million.sqlite" --quiet
fi
