#!/bin/sh
# `qda report patterns` on PROJECT right after its report cache was marked stale, as after
# a change of documents: the rebuild of `segment_code` and the first report, as a whole
# process. For pairing two builds with compare.py:
#
#   python3 Benchmarks/compare.py --runs 3 \
#       --cmd old -- Benchmarks/stale-report.sh OLD/qda A.sqlite \
#       --cmd new -- Benchmarks/stale-report.sh NEW/qda B.sqlite
#
# (A and B copies of one project, so that the two builds do not share a file.)
# Needs the sqlite3 command-line shell.
set -eu
[ $# = 2 ] || { echo "usage: $0 QDA PROJECT" >&2; exit 2; }
sqlite3 "$2" "UPDATE project_info SET value = '0' WHERE key = 'segment_code_fresh'; DELETE FROM report_cache;"
exec "$1" report patterns --project "$2"
