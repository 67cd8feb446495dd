#!/usr/bin/env bash
# Fuzz/run.sh [SECONDS] [SURFACE...]: builds the libFuzzer driver (-sanitize=fuzzer,address,
# in .build-fuzz; `Fuzz/run.sh build` only builds it) and fuzzes each surface (query, json,
# sync, policy, http; all by default) for SECONDS (60 by default), starting from the seeds and
# regression inputs of Fixtures/fuzz and the golden files. An input slower than 1 s (5 s for http) counts as a hang. Fails on the
# first crash, hang or sanitizer report, leaving the input under
# .build-fuzz/work/SURFACE/artifacts/: fix the bug, then keep the input under
# Fixtures/fuzz/regressions/SURFACE/ so the ordinary tests replay it.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
surfaces=("$@")
[ ${#surfaces[@]} -gt 0 ] || surfaces=(query json sync policy http)

mkdir -p .build-fuzz
if ! LOCUS_FUZZ=1 swift build --build-path .build-fuzz --product FuzzLocus \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld >.build-fuzz/build.log 2>&1; then
    grep -v "Cannot export local symbol" .build-fuzz/build.log | grep -E -B3 -A8 "error:" | head -n 120
    echo "the fuzzing build failed; the whole log is .build-fuzz/build.log" >&2
    exit 1
fi
tail -n 1 .build-fuzz/build.log
[ "$seconds" != build ] || exit 0
bin=.build-fuzz/debug/FuzzLocus

for s in "${surfaces[@]}"; do
    work=.build-fuzz/work/$s
    mkdir -p "$work/corpus" "$work/artifacts"
    LOCUS_FUZZ_SURFACE=$s LOCUS_FUZZ_WRITE_SEEDS="$work/corpus" LOCUS_FUZZ_REPO="$PWD" "$bin" || {
        echo "writing the seeds of $s failed" >&2
        exit 1
    }
    dict=()
    [ "$s" != query ] || dict=(-dict=Fuzz/c8ql.dict)
    # A wrong password costs one PBKDF2 hash of 210,000 rounds on purpose, about a second in
    # this sanitizer build: the HTTP surface counts a hang from 5 s.
    limit=1
    [ "$s" != http ] || limit=5
    echo "== fuzzing $s for ${seconds}s"
    # Leak detection stays off, per input and at exit: Swift's runtime keeps metadata caches, and
    # the HTTP surface its server state, for the process's life.
    ASAN_OPTIONS=detect_leaks=0 LOCUS_FUZZ_SURFACE=$s "$bin" "${dict[@]}" -max_total_time="$seconds" -timeout="$limit" -rss_limit_mb=4096 \
        -detect_leaks=0 -print_final_stats=1 -artifact_prefix="$work/artifacts/" "$work/corpus" \
        >"$work/log" 2>&1 || {
        tail -n 40 "$work/log"
        echo "fuzzing $s failed; the input is in $work/artifacts/" >&2
        exit 1
    }
    grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|^#[0-9]+ *DONE" "$work/log" || true
done
