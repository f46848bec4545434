#!/usr/bin/env bash
# How a qda build reads the test articles (Tests/QDAKitTests/Fixtures/articles): per file,
# its segments, how many of them are speaker turns, and (for builds that say it) the line
# qda ingest prints on how it read the file. Give an older build's binary to compare:
#
#   Benchmarks/article-readings.sh                         # this checkout's debug build
#   git worktree add /tmp/base dca240d && (cd /tmp/base && swift build)
#   Benchmarks/article-readings.sh /tmp/base/.build/debug/qda
#
# Needs sqlite3, and pdftotext for the PDFs.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
qda=${1:-$repo/.build/debug/qda}
[ -x "$qda" ] || (cd "$repo" && swift build --product qda >&2)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for file in "$repo"/Tests/QDAKitTests/Fixtures/articles/*.{txt,pdf}; do
    name=$(basename "$file")
    reading=$("$qda" ingest "$file" --project "$work/$name.sqlite" 2>&1 | grep "^  $name: " | sed "s/^  $name: //" || true)
    counts=$(sqlite3 "$work/$name.sqlite" \
        "SELECT COUNT(*) || ' segments, ' || COUNT(speaker) || ' read as speaker turns' FROM segment")
    echo "$name | $counts${reading:+ | $reading}"
done
