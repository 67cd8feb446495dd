#!/usr/bin/env bash
# Peak memory of reading a whole collection through the CLI: `locus query` (JSON lines) and
# `locus export`, over collections of 100,000 and 1,000,000 documents, and a range of 10
# million numbers. Both stream, so their peak resident set should not grow with the data.
# Needs GNU time (Debian package `time`) and a release build.
#
#   Benchmarks/memory/run.sh            # LOCUS_BINARY overrides .build/release/locus
set -euo pipefail
cd "$(dirname "$0")/../.."
locus=${LOCUS_BINARY:-.build/release/locus}
[ -x "$locus" ] || { echo "build first: swift build -c release" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install -y time" >&2; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

peak() { # label, command...
    local label=$1; shift
    /usr/bin/time -f "%M %e" -o "$dir/time" "$@" > /dev/null 2>&1
    read -r kb seconds < "$dir/time"
    printf '%-44s %6d MB %7.2f s\n' "$label" $((kb / 1024)) "$seconds"
}

for n in 100000 1000000; do
    db="$dir/docs-$n.db"
    "$locus" collection create docs --db "$db" > /dev/null
    "$locus" query --db "$db" "FOR i IN 1..$n INSERT {_key: CONCAT('k', i), name: CONCAT('user ', i), \
        age: i % 90, city: 'Kosice', tags: ['a', 'b']} INTO docs" 2> /dev/null
    peak "query FOR d IN docs RETURN d ($n)" "$locus" query --db "$db" "FOR d IN docs RETURN d"
    peak "export docs ($n)" "$locus" export docs --db "$db"
done
peak "query FOR i IN 1..10000000 RETURN i" "$locus" query --db :memory: "FOR i IN 1..10000000 RETURN i"
