#!/usr/bin/env bash
# Reports on a project of about a million segments (issue 6), in release mode.
#
#   Benchmarks/reports.sh                 # builds the project once (about 1.1M segments)
#   RUNS=5 DATA=/tmp/bench-data Benchmarks/reports.sh
#   ONLY="report matrix|report patterns" Benchmarks/reports.sh   # some reports only
#
# The project: the 100 MB benchmark corpus ingested with --unit sentence (one segment per
# sentence), the 1,000-keyword codebook, auto-coded. Each report then runs as a whole
# process, alternating with the same aggregate done as one SQL statement by Python's
# sqlite3 on the same file (Benchmarks/report_peer.py): the floor any tool pays to read
# the numbers. Printed: medians, and the ratio report / floor per round.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/Benchmarks/seconds.sh"
BENCH=${BENCH:-$repo/../shared/bench}
DATA=${DATA:-$(mktemp -d /tmp/qda-bench.XXXXXX)}
RUNS=${RUNS:-3}
cd "$repo"
swift build -c release --product qda >&2
QDA=$repo/.build/release/qda
DATA=$DATA SIZES="100MB" KS="1000" sh "$BENCH/make_data.sh" >&2
docs=$DATA/docs_100MB
[ -d "$docs" ] || python3 "$repo/Benchmarks/make_documents.py" "$DATA/corpus_100MB.txt" "$docs"
python3 "$repo/Benchmarks/codebook_to_yaml.py" "$DATA/codebook_1000.json" > "$DATA/codebook_1000.yaml"
project=$DATA/million.sqlite
if [ ! -s "$project" ]; then
    echo "building $project (ingest, code)" >&2
    "$QDA" ingest "$docs" --unit sentence --project "$project" --quiet
    "$QDA" codebook load "$DATA/codebook_1000.yaml" --project "$project" --quiet
    "$QDA" code --project "$project" --quiet
fi
python3 - "$project" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
n = lambda sql: db.execute(sql).fetchone()[0]
print(f"project: {n('SELECT COUNT(*) FROM segment'):,} segments, {n('SELECT COUNT(*) FROM coding'):,} codings, "
      f"{n('SELECT COUNT(DISTINCT region) FROM segment_region')} regions, {n('SELECT COUNT(*) FROM code')} codes")
PY
# The first report after coding builds the report cache, the first search the index:
# once per project and codebook, timed apart.
first() {
    echo "| first $1 $2 (one-time build) | $(seconds 2 "$QDA" "$@" --project "$project") s |"
}
sqlite3_reset() { python3 -c "
import sqlite3; db = sqlite3.connect('$project')
db.execute(\"UPDATE project_info SET value = '0' WHERE key = 'segment_code_fresh'\"); db.commit()"; }
sqlite3_reset
first report matrix
first search innovation
region=$(python3 -c "
import sqlite3; db = sqlite3.connect('$project')
print(db.execute('SELECT region FROM segment_region GROUP BY region ORDER BY COUNT(*) DESC LIMIT 1').fetchone()[0])")
other=$(python3 -c "
import sqlite3; db = sqlite3.connect('$project')
print(db.execute('SELECT region FROM segment_region GROUP BY region ORDER BY COUNT(*) DESC LIMIT 1 OFFSET 1').fetchone()[0])")
# A report right after the project changed: the report cache emptied first (the
# segment_code cache stays, as after any change it is rebuilt once for all reports).
cat > "$DATA/cold.sh" <<SH
#!/bin/sh
python3 -c "import sqlite3; db = sqlite3.connect('$project'); db.execute('DELETE FROM report_cache'); db.commit()"
exec "\$@"
SH
chmod +x "$DATA/cold.sh"
# A report right after a person codes a passage (the loop of coding by hand): the wrapper
# adds a coding to one segment, or removes it if present, then runs the report; its time
# includes the coding command.
code=$(python3 -c "
import sqlite3; db = sqlite3.connect('$project')
print(db.execute('SELECT key FROM code WHERE depth > 0 AND active = 1 ORDER BY ordinal LIMIT 1').fetchone()[0])")
cat > "$DATA/coded.sh" <<SH
#!/bin/sh
if "$QDA" code list --coders bench --project "$project" --format csv | grep -q "$code"; then
    "$QDA" code remove "$code" --segment 1 --coder bench --project "$project" --quiet
else
    "$QDA" code add "$code" --segment 1 --coder bench --project "$project" --quiet
fi
exec "\$@"
SH
chmod +x "$DATA/coded.sh"
# cell LABEL PEER-KIND [PEER-ARGUMENT] -- QDA-ARGUMENTS...
# Three commands alternate: qda with its report cache (any report after the first),
# qda with the cache emptied first, and the SQL floor.
cell() {
    local label=$1
    shift
    if [ -n "${ONLY:-}" ] && ! echo "$label" | grep -Eqx "$ONLY"; then return; fi
    local peer=(python3 "$repo/Benchmarks/report_peer.py" "$project")
    while [ "$1" != -- ]; do peer+=("$1"); shift; done
    shift
    python3 "$repo/Benchmarks/compare.py" --runs "$RUNS" --label "$label" \
        --cmd "qda $label" -- "$QDA" "$@" --project "$project" \
        --cmd "qda $label, cache emptied" -- "$DATA/cold.sh" "$QDA" "$@" --project "$project" \
        --cmd "qda code add|remove, then $label" -- "$DATA/coded.sh" "$QDA" "$@" --project "$project" \
        --cmd "SQL floor (${peer[*]:3})" -- "${peer[@]}"
}
cell "report matrix" matrix -- report matrix --format json
cell "report matrix --by group --measure density" matrix -- report matrix --by group --measure density
cell "report patterns" matrix -- report patterns
cell "report types" matrix -- report types
cell "report compare" matrix -- report compare "$region" "$other"
cell "report cooccurrence" cooccurrence -- report cooccurrence
cell "grid show" matrix -- grid show
cell "segments --code technology --region" matrix -- segments --code technology --region "$region" --limit 20
cell "search innovation" search innovation -- search innovation
cell "export summary" matrix -- export summary --out "$DATA/summary.md"
cell "report html" matrix -- report html --out "$DATA/report.html"
