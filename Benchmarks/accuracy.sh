#!/usr/bin/env bash
# The accuracy figures of docs/methods.md#accuracy (issue 28), reproduced:
#
#   Benchmarks/accuracy.sh                 # needs ../shared/refi-samples for the last table
#
# 1. The auto-coder against the gold standard (corpus/gold), per group, dev and test, with
#    the bundled and the extended codebook (`qda evaluate --gold`).
# 2. Learned suggestions against the keyword rules, 5-fold cross-validation
#    (`qda suggest evaluate`), on the gold standard (dev and test coded by `gold`) with each
#    codebook, and on the coded REFI-QDA samples imported with `qda import`.
# 3. The demo corpus rated with the extended codebook (`qda analyze --codebook`).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
swift build -c release --product qda >&2
QDA=$repo/.build/release/qda
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bundled=codebooks/china-regional-innovation.yaml
extended=codebooks/china-regional-innovation-extended.yaml

echo "== qda evaluate --gold (group presence per unit: precision/recall/F1)"
for codebook in "$bundled" "$extended"; do
    for set in dev test; do
        "$QDA" evaluate --gold "corpus/gold/$set" --codebook "$codebook" --format json --quiet |
            python3 -c "
import json, sys
d = json.load(sys.stdin)
print('$(basename "$codebook" .yaml) $set:', ' | '.join(
    '%s %.2f/%.2f/%.2f' % (g['key'], g.get('precision', 0), g.get('recall', 0), g.get('f1', 0)) for g in d['groups']),
    '| errors', len(d['errors']))"
    done
done

summary() {
    python3 -c "
import json, sys
d = json.load(sys.stdin)
print('$1: %d units in %d documents; micro F1 suggest %.2f, keywords %.2f' % (
    d['units'], d['documents'], d['suggest'].get('f1', 0), d['keyword'].get('f1', 0)))
for r in d['codes']:
    if r['examples'] >= 20:
        s, k = r['suggest'], r['keyword']
        print('   %s (%d): suggest %.2f/%.2f/%.2f, keywords %.2f/%.2f/%.2f' % (r['code'], r['examples'],
            s.get('precision', 0), s.get('recall', 0), s.get('f1', 0),
            k.get('precision', 0), k.get('recall', 0), k.get('f1', 0)))
print('   curve:', ', '.join('%d examples %.2f' % (p['examples'], p.get('f1', 0)) for p in d['curve']))"
}

echo "== qda suggest evaluate --folds 5 (per code with 20 examples or more: P/R/F1)"
for codebook in "$bundled" "$extended"; do
    project=$work/gold-$(basename "$codebook" .yaml).sqlite
    "$QDA" codebook load "$codebook" --project "$project" > /dev/null 2>&1 ||
        { "$QDA" init --project "$project" > /dev/null && "$QDA" codebook load "$codebook" --project "$project" > /dev/null; }
    "$QDA" ingest corpus/gold/dev corpus/gold/test --project "$project" --quiet > /dev/null
    "$QDA" code --project "$project" --quiet > /dev/null
    for set in dev test; do "$QDA" code import "corpus/gold/$set.csv" --project "$project" > /dev/null; done
    "$QDA" suggest evaluate --folds 5 --format json --project "$project" | summary "gold, $(basename "$codebook" .yaml)"
done
samples=$repo/../shared/refi-samples
if [ -d "$samples" ]; then
    for sample in qc-1.3.2_demo_nonconformant nvivo-mac-12.7_OltasSzkepticizmus_17June nvivo-win-12.6_oltas; do
        project=$work/$sample.sqlite
        "$QDA" import "$samples/$sample.qdpx" --project "$project" --quiet > /dev/null
        "$QDA" suggest evaluate --folds 5 --format json --project "$project" | summary "$sample"
    done
fi

echo "== the demo corpus rated with the extended codebook (qda analyze --codebook)"
"$QDA" analyze --codebook "$extended" --gazetteer codebooks/gazetteer/china.yaml --project "$work/demo.sqlite" --quiet |
    sed -n '/^region/,/^$/p'
