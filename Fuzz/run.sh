#!/usr/bin/env bash
# Fuzzes QDAKit's readers with libFuzzer (docs/testing.md).
#   Fuzz/run.sh TARGET [SECONDS]   one target (FuzzTargets.names), 60 s by default
#   Fuzz/run.sh all [SECONDS]      every target in turn
# Builds a package in .build-fuzz/ whose one executable links libFuzzer and QDAKit, all
# compiled with coverage instrumentation (-sanitize=fuzzer). Crashing inputs land in
# .build-fuzz/crashes/TARGET/; copy each into Tests/QDAKitTests/Fixtures/fuzz/TARGET/ so
# the regression test replays it. The corpus grows in .build-fuzz/corpus/TARGET/, seeded
# from the test fixtures.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$root/.build-fuzz"
target="${1:?name a target, or all}"
seconds="${2:-60}"
mkdir -p "$work/package/Sources/qda-fuzz"
cp "$root/Fuzz/Harness.swift" "$root/Fuzz/main.swift" "$work/package/Sources/qda-fuzz/"
identity="$(basename "$root" | tr 'A-Z' 'a-z')"
cat > "$work/package/Package.swift" <<SWIFT
// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "qda-fuzz",
    dependencies: [.package(path: "$root")],
    targets: [
        .executableTarget(
            name: "qda-fuzz",
            dependencies: [.product(name: "QDAKit", package: "$identity")]
        )
    ]
)
SWIFT
(cd "$work/package" && swift build -Xswiftc -sanitize=fuzzer -Xswiftc -enable-testing 2>&1 | grep -E "error|warning: unre|Compiling|Build" | tail -3)
binary="$work/package/.build/debug/qda-fuzz"
seed() {
    local name="$1" folder="$work/corpus/$1"
    mkdir -p "$folder"
    case "$name" in
        frontmatter|segmenter|textdecoding) cp "$root"/corpus/*/*.txt "$folder"/ 2>/dev/null || true ;;
        codebook) cp "$root"/codebooks/*.yaml "$folder"/ ;;
        gazetteer) cp "$root"/codebooks/gazetteer/*.yaml "$folder"/ ;;
        subtitle) cp "$root"/Tests/QDAKitTests/Fixtures/formats/*.{vtt,srt} "$folder"/ 2>/dev/null || true ;;
        csv) cp "$root"/Tests/QDAKitTests/Fixtures/formats/*.{csv,tsv} "$folder"/ 2>/dev/null || true ;;
        docx|odt|rtf|html) cp "$root"/Tests/QDAKitTests/Fixtures/formats/*."$name" "$folder"/ 2>/dev/null || true ;;
        qdpx) cp "$root"/../shared/refi-samples/{qc,atlasti}*.qdpx "$folder"/ 2>/dev/null || true ;;
    esac
    if [ -d "$root/Tests/QDAKitTests/Fixtures/fuzz/$name" ]; then
        cp "$root/Tests/QDAKitTests/Fixtures/fuzz/$name"/* "$folder"/ 2>/dev/null || true
    fi
}
fuzz() {
    local name="$1"
    seed "$name"
    mkdir -p "$work/crashes/$name"
    echo "== $name ($seconds s)"
    # Without the Swift runtime's backtracer, libFuzzer catches the crash and writes the input.
    SWIFT_BACKTRACE=enable=no QDA_FUZZ_TARGET="$name" "$binary" "$work/corpus/$name" -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=2048 -max_len=65536 -artifact_prefix="$work/crashes/$name/" -print_final_stats=1 2>&1 \
        | grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|ERROR|SUMMARY|Test unit written|^==" || true
}
if [ "$target" = all ]; then
    for name in frontmatter codebook gazetteer segmenter subtitle csv docx odt rtf html qdpx textdecoding; do
        fuzz "$name"
    done
else
    fuzz "$target"
fi
