#!/usr/bin/env bash
# The steps of `qda analyze` one by one, and the storage floor, for two builds of qda
# (before and after a change of the project file), on the benchmark corpora:
#
#   DATA=/tmp/bench-data Benchmarks/steps.sh OLD_QDA NEW_QDA [SIZE...]     # sizes: 100MB 1GB
#
# For each size and build, on a fresh project: `qda ingest`, `qda codebook load`, `qda
# code`, the first `qda report patterns`, a cached one, and `qda analyze` of the unchanged
# corpus again (seconds, one run each: the builds alternate step by step); then `python3 Benchmarks/storage_floor.py` on the rows
# each build stored by `qda analyze`, next to the Python pipeline's (DATA must hold
# docs_SIZE, codebook_1000.{json,yaml}, and e2e_SIZE_py.sqlite from python_pipeline.py, or
# it is made).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/Benchmarks/seconds.sh"
DATA=${DATA:?set DATA to the benchmark data folder}
BENCH=${BENCH:-$repo/../shared/bench}
old=$1
new=$2
shift 2
sizes=${*:-100MB}
for size in $sizes; do
    docs=$DATA/docs_$size
    [ -d "$docs" ] || { echo "no $docs (Benchmarks/run.sh makes it)" >&2; exit 1; }
    echo "| $size | step | before ($old) | after ($new) |"
    echo "|---|---|---|---|"
    for build in old new; do rm -f "$DATA/steps_$build.sqlite"*; done
    step() {
        local label=$1; shift
        local a b
        a=$(seconds 2 "$old" "$@" --project "$DATA/steps_old.sqlite")
        b=$(seconds 2 "$new" "$@" --project "$DATA/steps_new.sqlite")
        echo "| $size | $label | $a s | $b s |"
    }
    step "qda ingest" ingest "$docs" --quiet
    step "qda codebook load" codebook load "$DATA/codebook_1000.yaml" --quiet
    step "qda code" code --quiet
    step "first qda report patterns (builds the cache)" report patterns
    step "qda report patterns (cached)" report patterns
    step "qda analyze again (the unchanged corpus)" analyze "$docs" --codebook "$DATA/codebook_1000.yaml" --quiet
    echo "| $size | file size | $(du -m "$DATA/steps_old.sqlite" | cut -f1) MB | $(du -m "$DATA/steps_new.sqlite" | cut -f1) MB |"
    py=$DATA/e2e_${size}_py.sqlite
    [ -s "$py" ] || env BENCH="$BENCH" python3 "$repo/Benchmarks/python_pipeline.py" "$DATA/codebook_1000.json" "$docs" "$py" > /dev/null
    for build in old new; do
        qda=$old
        [ "$build" = new ] && qda=$new
        rm -f "$DATA/floor_$build.sqlite"* "$DATA/empty_$build.sqlite"*
        "$qda" analyze "$docs" --codebook "$DATA/codebook_1000.yaml" --project "$DATA/floor_$build.sqlite" --quiet > /dev/null
        "$qda" init --project "$DATA/empty_$build.sqlite" --quiet
        "$qda" codebook load "$DATA/codebook_1000.yaml" --project "$DATA/empty_$build.sqlite" --quiet
        python3 "$repo/Benchmarks/storage_floor.py" "$py" "$DATA/floor_$build.sqlite" "$DATA/empty_$build.sqlite" \
            | sed "s/^| /| $size | $build: /"
        rm -f "$DATA/floor_$build.sqlite"*
    done
done
