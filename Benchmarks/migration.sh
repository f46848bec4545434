#!/usr/bin/env bash
# A project written by one build of qda, migrated by another: the time of the first open
# (migration, and the vacuum after v9's), the file's size before and after, and whether
# every report prints the same numbers (docs/performance.md, "Schema v9"):
#
#   DATA=/tmp/bench-data Benchmarks/migration.sh OLD_QDA NEW_QDA [SIZE]    # SIZE: 100MB (default)
#
# OLD_QDA analyses $DATA/docs_SIZE with the 1,000-keyword codebook and prints each report
# as JSON; NEW_QDA opens a copy (timed with /usr/bin/time: `report matrix`, which reads the
# cached numbers), then prints each report again with the report cache emptied, so that
# its numbers are computed by the new code. `export summary` is compared without its
# title line, which names the file.
set -euo pipefail
DATA=${DATA:?set DATA to the benchmark data folder}
old=$1
new=$2
size=${3:-100MB}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$old" analyze "$DATA/docs_$size" --codebook "$DATA/codebook_1000.yaml" --project "$work/old.sqlite" --quiet > /dev/null
reports=("report patterns" "report matrix" "report types" "report cooccurrence" "grid show")
for report in "${reports[@]}"; do
    # shellcheck disable=SC2086
    "$old" $report --project "$work/old.sqlite" --format json > "$work/old-${report// /_}.json"
done
"$old" export summary --out "$work/old-summary.md" --project "$work/old.sqlite" --quiet
cp "$work/old.sqlite" "$work/new.sqlite"
echo "| file before | $(du -m "$work/old.sqlite" | cut -f1) MB |"
/usr/bin/time -o "$work/time" -f "| first open by the new build (migration, vacuum, cached matrix) | %e s, %M KB |" \
    "$new" report matrix --project "$work/new.sqlite" --format json > /dev/null
cat "$work/time"
echo "| file after | $(du -m "$work/new.sqlite" | cut -f1) MB |"
sqlite3 "$work/new.sqlite" "DELETE FROM report_cache"
for report in "${reports[@]}"; do
    # shellcheck disable=SC2086
    "$new" $report --project "$work/new.sqlite" --format json > "$work/new-${report// /_}.json"
    if cmp -s "$work/old-${report// /_}.json" "$work/new-${report// /_}.json"; then same=identical; else same=DIFFERENT; fi
    echo "| \`$report --format json\` | $same |"
done
"$new" export summary --out "$work/new-summary.md" --project "$work/new.sqlite" --quiet
if cmp -s <(tail -n +2 "$work/old-summary.md") <(tail -n +2 "$work/new-summary.md"); then same=identical; else same=DIFFERENT; fi
echo "| \`export summary\` (but its title) | $same |"
