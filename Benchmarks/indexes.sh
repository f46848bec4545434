#!/usr/bin/env bash
# Each index of the project file with the query it serves, timed with it and without it
# (docs/project-file.md#indexes), on a copy of an analysed project:
#
#   Benchmarks/indexes.sh PROJECT [RUNS]     # e.g. the 100 MB benchmark project of run.sh
#
# The two indexes schema v9 dropped (segment_position, segment_countable) are built on the
# copy first, so that what they used to serve is timed both ways too. Prints, per query,
# the times of RUNS runs (sqlite3's .timer, seconds) with and without the index ("without"
# is NOT INDEXED, or +column where SQLite would still pick the index).
set -euo pipefail
project=${1:?usage: indexes.sh PROJECT [RUNS]}
runs=${2:-3}
copy=$(mktemp -d)/p.sqlite
trap 'rm -rf "$(dirname "$copy")"' EXIT
cp "$project" "$copy"
sqlite3 "$copy" "CREATE INDEX IF NOT EXISTS segment_countable ON segment(interviewer, document_id);
    CREATE INDEX IF NOT EXISTS segment_position ON segment(id, document_id, ordinal, interviewer, words);" >/dev/null
read -r source size modified options < <(sqlite3 -separator ' ' "$copy" \
    "SELECT quote(source), file_size, file_modified, quote(options) FROM document ORDER BY id LIMIT 1")
region=$(sqlite3 "$copy" "SELECT region FROM segment_region GROUP BY region ORDER BY COUNT(*) DESC LIMIT 1")
ids=$(sqlite3 "$copy" "SELECT group_concat(id) FROM (SELECT id FROM segment ORDER BY id LIMIT 8 OFFSET 100)")
docs=$(sqlite3 "$copy" "SELECT group_concat(id) FROM (SELECT id FROM document ORDER BY random() LIMIT 5)")
time_of() {
    local out=()
    for _ in $(seq "$runs"); do
        out+=("$(printf '.timer on\n%s;\n' "$1" | sqlite3 "$copy" 2>&1 | grep -o 'real [0-9.]*' | cut -d' ' -f2)")
    done
    echo "${out[*]}"
}
row() {
    echo "| \`$1\` | $2 | $(time_of "$3") | $(time_of "$4") |"
}
echo "| index | query | with (s) | without (s) |"
echo "|---|---|---|---|"
row coding_code "codings summed per code and segment (the cache's rebuild)" \
    "SELECT COUNT(*), SUM(v) FROM (SELECT code_id, segment_id, SUM(valence) AS v FROM coding INDEXED BY coding_code GROUP BY code_id, segment_id ORDER BY code_id, segment_id)" \
    "SELECT COUNT(*), SUM(v) FROM (SELECT code_id, segment_id, SUM(valence) AS v FROM coding NOT INDEXED GROUP BY code_id, segment_id ORDER BY code_id, segment_id)"
row coding_segment "the codings of 8 segments" \
    "SELECT COUNT(*) FROM coding INDEXED BY coding_segment WHERE segment_id IN ($ids)" \
    "SELECT COUNT(*) FROM coding NOT INDEXED WHERE segment_id IN ($ids)"
row coding_document "the auto-codings of 5 documents" \
    "SELECT COUNT(*) FROM coding INDEXED BY coding_document WHERE coder = 'auto' AND document_id IN ($docs)" \
    "SELECT COUNT(*) FROM coding NOT INDEXED WHERE coder = 'auto' AND document_id IN ($docs)"
row segment_code_document "the report cache's rows of 5 documents" \
    "SELECT COUNT(*), SUM(valence) FROM segment_code WHERE document_id IN ($docs)" \
    "SELECT COUNT(*), SUM(valence) FROM segment_code WHERE +document_id IN ($docs)"
row segment_region_region "the segments of one region" \
    "SELECT COUNT(*), SUM(segment_id) FROM segment_region WHERE region = '$region'" \
    "SELECT COUNT(*), SUM(segment_id) FROM segment_region WHERE +region = '$region'"
row document_unchanged "is this file unchanged (once per file on a re-run)" \
    "SELECT COUNT(*) FROM document INDEXED BY document_unchanged WHERE source = $source AND file_size = $size AND file_modified = $modified AND options = $options" \
    "SELECT COUNT(*) FROM document NOT INDEXED WHERE source = $source AND file_size = $size AND file_modified = $modified AND options = $options"
row "segment_position (dropped in v9)" "every segment's place, in id order (the region tally)" \
    "SELECT COUNT(*), SUM(id + document_id + interviewer + words) FROM segment INDEXED BY segment_position" \
    "SELECT COUNT(*), SUM(id + document_id + interviewer + words) FROM segment NOT INDEXED"
row "segment_countable (dropped in v9)" "countable segments" \
    "SELECT COUNT(*), SUM(words) FROM segment INDEXED BY segment_countable WHERE interviewer = 0" \
    "SELECT COUNT(*), SUM(words) FROM segment NOT INDEXED WHERE interviewer = 0"
