#!/usr/bin/env bash
# Builds the consumer package against this checkout's committed HEAD, taken by version
# (a bare clone tagged 0.1.0), with the README's embedding example as its program, runs it and
# checks what it prints. Used by .ci/run; needs a clean tree, since only commits are cloned.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

git clone -q --bare "$root" "$work/locus.git"
git -C "$work/locus.git" tag -f 0.1.0 HEAD >/dev/null

mkdir -p "$work/consumer/Sources/Consumer"
cp "$root/Tests/Consumer/Package.swift" "$work/consumer/"
# The first Swift block under "## Embedding" is the program, exactly as users read it.
awk '/^## Embedding/ {section = 1; next}
     section && /^```swift/ {inside = 1; next}
     inside && /^```/ {exit}
     inside {print}' "$root/README.md" > "$work/consumer/Sources/Consumer/main.swift"
grep -q "import Locus" "$work/consumer/Sources/Consumer/main.swift" || {
    echo "consumer: no embedding example found in README.md" >&2; exit 1; }

cd "$work/consumer"
LOCUS_PACKAGE_URL="file://$work/locus.git" swift build -Xswiftc -warnings-as-errors >"$work/build.log" 2>&1 || {
    cat "$work/build.log" >&2; echo "consumer: the build failed" >&2; exit 1; }
cd "$work"
output=$("$work/consumer/.build/debug/Consumer")
echo "$output"
expect() {
    grep -qxF "$1" <<<"$output" || { echo "consumer: expected the line '$1'" >&2; exit 1; }
}
expect "1 []"
expect "1203 collection or view not found: nope"
expect "1 10"
[ ! -e "$work/app.db-wal" ] || { echo "consumer: app.db-wal left behind after close()" >&2; exit 1; }
echo "consumer: Locus 0.1.0 by version builds and runs the README's example"
