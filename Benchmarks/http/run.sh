#!/usr/bin/env bash
# HTTP benchmark of `locus serve` (release build): wrk over keep-alive loopback connections
# (64 by default) for the bare request cost (/_api/version), point reads by key, a one-row AQL
# cursor and single-document inserts, printing requests/s, p50 and p99 for each; then, on a
# fresh server over the same data, a `stream: true` cursor read to the end in batches of 1,000,
# with that server's peak RSS. With a C compiler, first the same figures for floor.c, a server
# that does nothing but answer: the machine's floor. Needs wrk and GNU time (Debian: wrk, time).
#
#   Benchmarks/http/run.sh [DURATION_SECONDS] [CONNECTIONS]
#   LOCUS_BENCH_DOCS=1000000 Benchmarks/http/run.sh     # documents imported first (default 100,000)
#   LOCUS_BENCH_ONLY="point_read insert" Benchmarks/http/run.sh   # only these (names as printed)
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-10}
connections=${2:-64}
docs=${LOCUS_BENCH_DOCS:-100000}
binary=${LOCUS_BINARY:-.build/release/locus}
[ -x "$binary" ] || { echo "build first: swift build -c release" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "GNU time is missing: apt-get install -y time" >&2; exit 1; }

data=$(mktemp -d)
server=
trap '[ -n "$server" ] && pkill -TERM -P $server 2>/dev/null; wait 2>/dev/null || true; rm -rf "$data"' EXIT
export LOCUS_ROOT_PASSWORD=bench
auth="Authorization: Basic $(printf 'root:bench' | base64)"

# Starts a server under GNU time (whose pid is $server; signals go to its child).
start() {
    log=$data/server-$1.log
    /usr/bin/time -v "$binary" serve --data "$data/db" --listen 127.0.0.1:0 ${LOCUS_SERVE_ARGS:-} >/dev/null 2>"$log" &
    server=$!
    for _ in $(seq 100); do grep -q "listening on" "$log" && break; sleep 0.1; done
    url=$(sed -n 's/.*listening on \([^,]*\),.*/\1/p' "$log" | head -1)
}
stop() {
    pkill -TERM -P "$server"
    wait "$server" || true
    server=
}

start load
curl -sf -H "$auth" -X POST "$url/_api/collection" -d '{"name":"docs"}' >/dev/null
python3 - "$url" "$docs" <<'PY'
import base64, json, sys, time, urllib.request
url, total = sys.argv[1], int(sys.argv[2])
auth = "Basic " + base64.b64encode(b"root:bench").decode()
started = time.time()
created = 0
for first in range(0, total, 100000):
    body = "\n".join(json.dumps({"_key": f"k{i}", "n": i, "name": f"user {i}", "tags": ["a", "b"]})
                     for i in range(first, min(total, first + 100000)))
    req = urllib.request.Request(url + "/_api/import?collection=docs&type=documents", data=body.encode(), method="POST",
                                 headers={"Authorization": auth, "Content-Type": "application/json"})
    created += json.load(urllib.request.urlopen(req))["created"]
print(f"import           {created} documents in {time.time() - started:.1f} s ({created / (time.time() - started):.0f}/s)")
PY

selected() { [ -z "${LOCUS_BENCH_ONLY:-}" ] || [[ " $LOCUS_BENCH_ONLY " == *" $1 "* ]]; }

run() {
    local name=$1 script=$2
    selected "$name" || return 0
    local out rps p50 p99 errors
    out=$(LOCUS_BENCH_DOCS=$docs wrk -t"$(( connections < 2 ? 1 : 2 ))" -c"$connections" -d"${duration}s" --latency -s "Benchmarks/http/$script" "$url" -H "$auth")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    errors=$(awk '/Non-2xx/ {print $5}' <<<"$out")
    printf '%-16s %10s req/s   p50 %8s   p99 %8s   non-2xx %s\n' "$name" "$rps" "$p50" "$p99" "${errors:-0}"
}
if selected floor && command -v cc >/dev/null; then
    cc -O2 -o "$data/floor" Benchmarks/http/floor.c
    "$data/floor" 0 >"$data/floor.log" &
    floor=$!
    for _ in $(seq 50); do grep -q "listening on" "$data/floor.log" && break; sleep 0.1; done
    server_url=$url
    url=http://127.0.0.1:$(awk '{print $3}' "$data/floor.log")
    run floor version.lua
    url=$server_url
    kill "$floor"
    wait "$floor" 2>/dev/null || true
fi
run version version.lua
run point_read point_read.lua
run aql_one_row aql_one_row.lua
run insert insert.lua
stop
selected stream || exit 0

start stream
python3 - "$url" <<'PY'
import base64, json, sys, time, urllib.request
url = sys.argv[1]
auth = {"Authorization": "Basic " + base64.b64encode(b"root:bench").decode()}
def post(path, body=None):
    req = urllib.request.Request(url + path, data=json.dumps(body).encode() if body is not None else None, method="POST", headers=auth)
    return json.load(urllib.request.urlopen(req))
start = time.time()
page = post("/_api/cursor", {"query": "FOR d IN docs RETURN d", "batchSize": 1000, "options": {"stream": True}})
rows = len(page["result"])
while page["hasMore"]:
    page = post("/_api/cursor/" + page["id"])
    rows += len(page["result"])
print(f"stream cursor    {rows} rows in batches of 1000, {time.time() - start:.1f} s")
PY
stop
printf 'stream server peak RSS  %s kB\n' "$(awk '/Maximum resident set size/ {print $6}' "$data/server-stream.log")"
