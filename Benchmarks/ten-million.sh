#!/usr/bin/env bash
# Reports on a project of ten million codings (issue 4), in release mode.
#
#   DATA=/tmp/bench-data Benchmarks/ten-million.sh     # needs $DATA/million.sqlite (Benchmarks/reports.sh builds it)
#
# The project: the million-segment project of Benchmarks/reports.sh (the 100 MB corpus,
# one segment per sentence, 278,457 auto-codings), copied, with the auto-coder's codings
# repeated by 35 more coders (`team01` … `team35`, as if a team had coded every passage
# the same way): 10.0 million codings. Each report runs as a whole process, RUNS times:
#   - after a repair (segment_code rebuilt from all codings, as `qda check --repair` or a
#     project edited by hand; before schema v9 every change of documents or regions did it),
#   - right after 10 new documents were ingested and coded (`qda ingest`, `qda code`, not
#     timed): their rows of segment_code added in place, every cached number renewed,
#   - right after a person codes: `qda code add` (or `remove`) on one segment, not timed,
#     then the report (segment_code updated in place, region totals still cached),
#   - warm (the numbers cached).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/Benchmarks/seconds.sh"
DATA=${DATA:?set DATA to the folder with million.sqlite}
RUNS=${RUNS:-3}
cd "$repo"
swift build -c release --product qda >&2
QDA=$repo/.build/release/qda
# PROJECT=FILE times the same on another analysed project (e.g. run.sh's 100 MB one).
project=${PROJECT:-$DATA/ten-million.sqlite}
if [ ! -s "$project" ]; then
    echo "building $project" >&2
    cp "$DATA/million.sqlite" "$project"
    python3 - "$project" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA cache_size = -262144")
db.execute("BEGIN")
indexes = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'coding' AND sql IS NOT NULL").fetchall()
for name, _ in indexes:
    db.execute(f"DROP INDEX {name}")
for i in range(1, 36):
    # run_id (schema v9) keeps the time of the auto-coder's run for the copies.
    db.execute("""INSERT INTO coding (segment_id, document_id, code_id, coder, start_offset, end_offset, valence, matched, created_at, run_id)
                  SELECT segment_id, document_id, code_id, ?, start_offset, end_offset, valence, matched, created_at, run_id
                  FROM coding WHERE coder = 'auto'""", (f"team{i:02d}",))
for _, sql in indexes:
    db.execute(sql)
db.execute("UPDATE project_info SET value = '0' WHERE key = 'segment_code_fresh'")
db.execute("DELETE FROM report_cache")
db.execute("COMMIT")
PY
fi
python3 - "$project" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
n = lambda sql: db.execute(sql).fetchone()[0]
print(f"project: {n('SELECT COUNT(*) FROM segment'):,} segments, {n('SELECT COUNT(*) FROM coding'):,} codings, "
      f"{n('SELECT COUNT(DISTINCT coder) FROM coding')} coders")
PY
stale() { python3 -c "
import sqlite3; db = sqlite3.connect('$project')
db.execute(\"UPDATE project_info SET value = '0' WHERE key = 'segment_code_fresh'\"); db.execute('DELETE FROM report_cache'); db.commit()"; }
code=$(python3 -c "
import sqlite3; print(sqlite3.connect('$project').execute('SELECT key FROM code WHERE depth = 1 ORDER BY ordinal LIMIT 1').fetchone()[0])")
coded=0
recode() {
    if [ "$coded" = 0 ]; then
        "$QDA" code add "$code" --segment 1 --coder bench --project "$project" --quiet
        coded=1
    else
        "$QDA" code remove "$code" --segment 1 --coder bench --project "$project" --quiet
        coded=0
    fi
}
# Ten documents not seen before: ten of the corpus's, each with a line of its own added.
round=0
newdocs() {
    round=$((round + 1))
    local folder
    folder=$(mktemp -d "$DATA/new-docs.XXXXXX")
    for file in $(ls "$DATA/docs_100MB" | head -10); do
        { cat "$DATA/docs_100MB/$file"; printf '\nRound %s of %s.\n' "$round" "$folder"; } > "$folder/$file"
    done
    "$QDA" ingest "$folder" --unit sentence --project "$project" --quiet
    "$QDA" code --project "$project" --quiet
}
timed() { seconds 2 "$QDA" "$@" --project "$project"; }
echo "| report | after a repair (rebuild) | after 10 new documents | after \`qda code add\` or \`remove\` on one segment | warm |"
echo "|---|---|---|---|---|"
for report in "report matrix --format json" "report patterns" "report cooccurrence"; do
    a=(); d=(); b=(); c=()
    for _ in $(seq "$RUNS"); do
        stale; a+=("$(timed $report)")
        newdocs; d+=("$(timed $report)")
        recode; b+=("$(timed $report)")
        c+=("$(timed $report)")
    done
    echo "| \`$report\` | ${a[*]} s | ${d[*]} s | ${b[*]} s | ${c[*]} s |"
done
[ "$coded" = 0 ] || recode
