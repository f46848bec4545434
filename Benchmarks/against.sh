#!/usr/bin/env bash
# This checkout against an earlier commit, both built in release mode, on the benchmark
# corpora (../shared/bench): the figures a change's closing note quotes.
#
#   Benchmarks/against.sh REV [REV...]          # e.g. Benchmarks/against.sh dca240d
#   RUNS=9 Benchmarks/against.sh REV
#
# For each REV: qda-bench match on the 100 MB corpus (1,000 keywords; the counts must be
# identical), qda ingest and qda analyze of the 10 MB corpus as documents (a fresh project
# every run; analyze's JSON report is compared too). compare.py runs the two builds
# alternately and prints the median of the per-round ratios REV / this checkout: above 1,
# this checkout is faster. REV is built in a worktree under $DATA.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
BENCH=${BENCH:-$repo/../shared/bench}
DATA=${DATA:-/tmp/qda-against}
RUNS=${RUNS:-5}
[ $# -ge 1 ] || { echo "usage: Benchmarks/against.sh REV [REV...]" >&2; exit 2; }
[ -d "$BENCH" ] || { echo "no benchmark folder at $BENCH (set BENCH=...)" >&2; exit 1; }
mkdir -p "$DATA"

build() { (cd "$1" && swift build -c release --product qda-bench >&2 && swift build -c release --product qda >&2); }
build "$repo"
DATA=$DATA SIZES="10MB 100MB" KS="1000" sh "$BENCH/make_data.sh" >/dev/null
docs=$DATA/docs_10MB
[ -d "$docs" ] || python3 "$repo/Benchmarks/make_documents.py" "$DATA/corpus_10MB.txt" "$docs"
python3 "$repo/Benchmarks/codebook_to_yaml.py" "$DATA/codebook_1000.json" > "$DATA/codebook_1000.yaml"

# A script that runs one build's qda on a fresh project: fresh NAME QDA SUBCOMMAND ARGS...
fresh() {
    local name=$1 qda=$2
    shift 2
    cat > "$DATA/$name.sh" <<SH
#!/bin/sh
rm -f "$DATA/$name.sqlite" "$DATA/$name.sqlite-wal" "$DATA/$name.sqlite-shm" "$DATA/$name.sqlite-journal"
exec "$qda" $* --project "$DATA/$name.sqlite" --quiet
SH
    chmod +x "$DATA/$name.sh"
}

ours=$repo/.build/release
for rev in "$@"; do
    tree=$DATA/rev-$rev
    [ -d "$tree" ] || git -C "$repo" worktree add --detach "$tree" "$rev" >&2
    build "$tree"
    theirs=$tree/.build/release
    echo "## this checkout ($(git -C "$repo" rev-parse --short HEAD)) against $rev"
    python3 "$repo/Benchmarks/compare.py" --runs "$RUNS" --mb 100 --label "match, 100 MB x 1000" \
        --check "$DATA/ours.tsv" "$DATA/theirs.tsv" \
        --cmd "qda-bench match (this)" -- "$ours/qda-bench" match "$DATA/codebook_1000.json" "$DATA/corpus_100MB.txt" -o "$DATA/ours.tsv" \
        --cmd "qda-bench match ($rev)" -- "$theirs/qda-bench" match "$DATA/codebook_1000.json" "$DATA/corpus_100MB.txt" -o "$DATA/theirs.tsv"
    fresh ingest_ours "$ours/qda" ingest "$docs"
    fresh ingest_theirs "$theirs/qda" ingest "$docs"
    python3 "$repo/Benchmarks/compare.py" --runs "$RUNS" --mb 10 --label "ingest, 10 MB" \
        --cmd "qda ingest (this)" -- "$DATA/ingest_ours.sh" --cmd "qda ingest ($rev)" -- "$DATA/ingest_theirs.sh"
    fresh analyze_ours "$ours/qda" analyze "$docs" --codebook "$DATA/codebook_1000.yaml" --format json
    fresh analyze_theirs "$theirs/qda" analyze "$docs" --codebook "$DATA/codebook_1000.yaml" --format json
    python3 "$repo/Benchmarks/compare.py" --runs "$RUNS" --mb 10 --label "analyze, 10 MB x 1000" \
        --cmd "qda analyze (this)" -- "$DATA/analyze_ours.sh" --cmd "qda analyze ($rev)" -- "$DATA/analyze_theirs.sh"
    "$DATA/analyze_ours.sh" > "$DATA/ours.json"
    "$DATA/analyze_theirs.sh" > "$DATA/theirs.json"
    if cmp -s "$DATA/ours.json" "$DATA/theirs.json"; then
        echo "analyze: the JSON reports are identical"
    else
        echo "analyze: the JSON reports differ ($DATA/ours.json, $DATA/theirs.json)"
    fi
done
