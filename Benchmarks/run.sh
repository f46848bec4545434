#!/usr/bin/env bash
# The matching and end-to-end benchmarks of issue 4, against the peers in ../shared/bench.
#
#   Benchmarks/run.sh                     # 10 MB and 100 MB, 100 / 1,000 / 10,000 keywords
#   SIZES="10MB" KS="1000" RUNS=3 Benchmarks/run.sh
#   GB=1 Benchmarks/run.sh                # also 1 GB, 1,000 keywords: matching, and one round end to end
#   E2E_RUNS=1 Benchmarks/run.sh         # one round of each end-to-end comparison, not three
#
# Builds qda and qda-bench in release mode, generates the data into a temporary folder
# (or $DATA), runs qda and the peers alternately, and prints medians, ratios and peak
# memory. Needs python3 with pyahocorasick (pip install pyahocorasick flashtext).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/Benchmarks/seconds.sh"
BENCH=${BENCH:-$repo/../shared/bench}
DATA=${DATA:-$(mktemp -d /tmp/qda-bench.XXXXXX)}
SIZES=${SIZES:-"10MB 100MB"}
KS=${KS:-"100 1000 10000"}
RUNS=${RUNS:-5}
E2E_SIZES=${E2E_SIZES:-"10MB 100MB"}
E2E_RUNS=${E2E_RUNS:-3}
[ -d "$BENCH" ] || { echo "no benchmark folder at $BENCH (set BENCH=...)" >&2; exit 1; }
python3 -c "import ahocorasick" 2>/dev/null || { echo "pip install pyahocorasick flashtext" >&2; exit 1; }

cd "$repo"
swift build -c release --product qda-bench >&2
swift build -c release --product qda >&2
QB=$repo/.build/release/qda-bench
QDA=$repo/.build/release/qda
echo "data in $DATA" >&2
if [ "${GB:-0}" = 1 ]; then
    # Generated like the others (36,124 documents, about 4 minutes), not the 100 MB corpus
    # repeated: repeated documents share names and contents, which end to end is 100 MB again.
    case " $SIZES " in *" 1GB "*) ;; *) SIZES="$SIZES 1GB" ;; esac
    case " $E2E_SIZES " in *" 1GB "*) ;; *) E2E_SIZES="$E2E_SIZES 1GB" ;; esac
fi
DATA=$DATA SIZES="$SIZES" KS="$KS" sh "$BENCH/make_data.sh" >&2

echo "## Matching: qda-bench match vs the peers (whole process, $RUNS paired runs)"
for size in $SIZES; do
    corpus=$DATA/corpus_$size.txt
    mb=$(python3 -c "import os; print(os.path.getsize('$corpus') / 1e6)")
    ks=$KS
    [ "$size" = 1GB ] && ks=1000
    for k in $ks; do
        cb=$DATA/codebook_$k.json
        peers=(--cmd pyahocorasick -- python3 "$BENCH/peer_pyahocorasick.py" "$cb" "$corpus" -o "$DATA/pyac.tsv")
        if [ "$size" != 1GB ] && [ "$k" = 1000 ]; then
            peers+=(--cmd "flashtext (latin-exact)" -- python3 "$BENCH/peer_flashtext.py" "$cb" "$corpus" -o /dev/null)
            peers+=(--cmd "grep -F -w (nowild)" -- sh "$BENCH/peer_grep.sh" "$DATA/kw_${k}_nowild.tsv" "$corpus")
        fi
        runs=$RUNS
        [ "$size" = 1GB ] && runs=3
        python3 "$repo/Benchmarks/compare.py" --runs "$runs" --mb "$mb" --label "$size x $k" \
            --check "$DATA/ours.tsv" "$DATA/pyac.tsv" \
            --cmd qda-bench -- "$QB" match "$cb" "$corpus" -o "$DATA/ours.tsv" "${peers[@]}"
    done
done

echo
echo "## End to end: qda analyze vs the Python pipeline (read, segment, pyahocorasick, SQLite, group by region)"
for size in $E2E_SIZES; do
    docs=$DATA/docs_$size
    [ -d "$docs" ] || python3 "$repo/Benchmarks/make_documents.py" "$DATA/corpus_$size.txt" "$docs"
    python3 "$repo/Benchmarks/codebook_to_yaml.py" "$DATA/codebook_1000.json" > "$DATA/codebook_1000.yaml"
    mb=$(du -sb "$docs" | cut -f1 | python3 -c "import sys; print(int(sys.stdin.read()) / 1e6)")
    corpus_mb=$(python3 -c "import os; print(os.path.getsize('$DATA/corpus_$size.txt') / 1e6)")
    if python3 -c "import sys; sys.exit(0 if $mb < $corpus_mb / 2 else 1)"; then
        # A corpus made by repeating a smaller one (as this script once made 1 GB): its
        # documents share names and contents.
        echo "docs_$size holds $mb MB of $corpus_mb: the corpus repeats itself; skipped" >&2
        continue
    fi
    rounds=$E2E_RUNS
    [ "$size" = 1GB ] && rounds=1
    rm -f "$DATA"/e2e*.sqlite*
    # A fresh project every run: the wrapper removes it first.
    cat > "$DATA/qda_fresh.sh" <<SH
#!/bin/sh
rm -f "$DATA/e2e.sqlite" "$DATA/e2e.sqlite-wal" "$DATA/e2e.sqlite-shm" "$DATA/e2e.sqlite-journal"
exec "$QDA" analyze "$docs" --codebook "$DATA/codebook_1000.yaml" --project "$DATA/e2e.sqlite" --quiet --format json
SH
    chmod +x "$DATA/qda_fresh.sh"
    python3 "$repo/Benchmarks/compare.py" --runs "$rounds" --mb "$mb" --label "$size, 1000 keywords" \
        --cmd "qda analyze" -- "$DATA/qda_fresh.sh" \
        --cmd "Python pipeline" -- env BENCH="$BENCH" python3 "$repo/Benchmarks/python_pipeline.py" "$DATA/codebook_1000.json" "$docs" "$DATA/e2e_py.sqlite"
    # The same with the bundled gazetteer (what `qda analyze` loads with the bundled
    # codebook): every segment is also searched for place names.
    sed -e "s|e2e.sqlite|e2e_gazetteer.sqlite|g" \
        -e "s|--project|--gazetteer $repo/codebooks/gazetteer/china.yaml --project|" \
        "$DATA/qda_fresh.sh" > "$DATA/qda_fresh_gazetteer.sh"
    chmod +x "$DATA/qda_fresh_gazetteer.sh"
    python3 "$repo/Benchmarks/compare.py" --runs "$rounds" --mb "$mb" --label "$size, 1000 keywords, place names" \
        --cmd "qda analyze" -- "$DATA/qda_fresh.sh" \
        --cmd "qda analyze --gazetteer (bundled)" -- "$DATA/qda_fresh_gazetteer.sh"
    "$DATA/qda_fresh.sh" > /dev/null
    rerun=$(seconds 3 "$QDA" analyze "$docs" --codebook "$DATA/codebook_1000.yaml" --project "$DATA/e2e.sqlite" --quiet)
    echo "| $size | re-run on the unchanged corpus | $rerun s |"
    # What SQLite alone costs to store each pipeline's rows (no parsing, no matching).
    empty=$DATA/empty.sqlite
    rm -f "$empty" "$empty-wal" "$empty-shm"
    "$QDA" init --project "$empty" --quiet
    "$QDA" codebook load "$DATA/codebook_1000.yaml" --project "$empty" --quiet
    python3 "$repo/Benchmarks/storage_floor.py" "$DATA/e2e_py.sqlite" "$DATA/e2e.sqlite" "$empty" | sed "s/^| /| $size | /"
    # Where the time goes: the steps of analyze, run one by one on a fresh project.
    project=$DATA/phases.sqlite
    rm -f "$project" "$project-wal" "$project-shm"
    step() {
        local label=$1; shift
        echo "| $size | $label | $(seconds 3 "$QDA" "$@" --project "$project") s |"
    }
    step "qda ingest" ingest "$docs" --quiet
    step "qda codebook load" codebook load "$DATA/codebook_1000.yaml" --quiet
    step "qda code" code --quiet
    step "qda report patterns (builds the cache)" report patterns
    step "qda report patterns (cached)" report patterns
done
