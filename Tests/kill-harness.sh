#!/usr/bin/env bash
# The long kill loop of Tests/qdaTests/CrashSafetyTests.swift: `qda ingest`, `code`,
# `import` and `merge` each killed (SIGKILL) KILLS times at random moments (default 100;
# `swift test` runs 3). Prints, per command, how many kills hit it while it ran.
#   Tests/kill-harness.sh [KILLS]
set -euo pipefail
cd "$(dirname "$0")/.."
QDA_KILLS="${1:-100}" swift test --filter CrashSafetyTests 2>&1 | grep -E "kill harness|✘|passed after|failed after"
