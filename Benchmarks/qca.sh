#!/usr/bin/env bash
# QCA minimisation benchmark (issue 9), release build:
# - qda-bench against sympy's SOPform (Quine-McCluskey) on PEER_K conditions, alternating runs;
#   sympy does not finish a 12-condition table in ten minutes, so the peer runs on fewer;
# - qda-bench alone on the K-condition table (12 by default), RUNS times.
#
#   Benchmarks/qca.sh                       # PEER_K="8 9" K=12 CASES=60 RUNS=5
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
K=${K:-12}; CASES=${CASES:-60}; RUNS=${RUNS:-5}; SEED=${SEED:-1}; PEER_K=${PEER_K:-"8 9"}
python3 -c "import sympy" 2>/dev/null || { echo "pip install sympy" >&2; exit 1; }
cd "$repo"
swift build -c release --product qda-bench >&2
QB=$repo/.build/release/qda-bench
dir=$(mktemp -d /tmp/qca-bench.XXXXXX)
for k in $PEER_K; do
    python3 Benchmarks/qca_table.py "$k" 40 "$SEED" > "$dir/t$k.json"
    python3 Benchmarks/compare.py --runs 3 --mb 0 --label "QCA minimisation, $k conditions, 40 cases" \
        --cmd "qda-bench qca" -- "$QB" qca "$dir/t$k.json" \
        --cmd "sympy SOPform" -- python3 Benchmarks/qca_peer_sympy.py "$dir/t$k.json"
done
python3 Benchmarks/qca_table.py "$K" "$CASES" "$SEED" > "$dir/t.json"
echo "## qda-bench alone, $K conditions, $CASES cases ($RUNS runs)"
for _ in $(seq "$RUNS"); do "$QB" qca "$dir/t.json" 2>&1 >/dev/null | grep -o "minimise_s=[0-9.]*"; done
rm -rf "$dir"
