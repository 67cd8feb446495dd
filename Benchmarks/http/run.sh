#!/usr/bin/env bash
# HTTP benchmark of `locus serve`: wrk over keep-alive loopback connections (64 by default)
# against a release build, for point reads by key, a one-row AQL cursor and single-document
# inserts; then a stream cursor read to the end with the server's peak RSS. Prints one line per
# workload: requests/s, p50, p99. Needs wrk and GNU time (Debian: wrk, time).
#
#   Benchmarks/http/run.sh [DURATION_SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-10}
connections=${2:-64}
binary=${LOCUS_BINARY:-.build/release/locus}
[ -x "$binary" ] || { echo "build first: swift build -c release" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

data=$(mktemp -d)
trap 'pkill -TERM -P $server 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$data"' EXIT
export LOCUS_ROOT_PASSWORD=bench
log=$data/server.log
/usr/bin/time -v "$binary" serve --data "$data/db" --listen 127.0.0.1:0 ${LOCUS_SERVE_ARGS:-} >/dev/null 2>"$log" &
server=$!  # GNU time's pid: signals go to its child, the server
for _ in $(seq 100); do grep -q "listening on" "$log" && break; sleep 0.1; done
url=$(sed -n 's/.*listening on \([^,]*\),.*/\1/p' "$log" | head -1)
auth="Authorization: Basic $(printf 'root:bench' | base64)"
api() { curl -sf -H "$auth" -X "$1" "$url$2" ${3:+-d "$3"} >/dev/null; }

api POST /_api/collection '{"name":"docs"}'
python3 - "$url" "${LOCUS_BENCH_DOCS:-100000}" <<'PY'
import base64, json, sys, urllib.request
url = sys.argv[1]
auth = "Basic " + base64.b64encode(b"root:bench").decode()
body = "\n".join(json.dumps({"_key": f"k{i}", "n": i, "name": f"user {i}", "tags": ["a", "b"]}) for i in range(int(sys.argv[2]) if len(sys.argv) > 2 else 100000))
req = urllib.request.Request(url + "/_api/import?collection=docs&type=documents", data=body.encode(), method="POST",
                             headers={"Authorization": auth, "Content-Type": "application/json"})
import time
started = time.time()
created = json.load(urllib.request.urlopen(req))["created"]
print(f"import           {created} documents in {time.time() - started:.2f} s", file=sys.stderr)
PY

run() {
    local name=$1 script=$2
    local out
    out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency -s "Benchmarks/http/$script" "$url" -H "$auth")
    local rps p50 p99 errors
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    errors=$(awk '/Non-2xx/ {print $5}' <<<"$out")
    printf '%-16s %10s req/s   p50 %8s   p99 %8s   non-2xx %s\n' "$name" "$rps" "$p50" "$p99" "${errors:-0}"
}
run version version.lua
run point_read point_read.lua
run aql_one_row aql_one_row.lua
run insert insert.lua

# A stream cursor over every document, 1,000 at a time, read to the end.
python3 - "$url" "${LOCUS_BENCH_DOCS:-100000}" <<'PY'
import base64, json, sys, time, urllib.request
url = sys.argv[1]
auth = {"Authorization": "Basic " + base64.b64encode(b"root:bench").decode()}
def post(path, body=None, method="POST"):
    req = urllib.request.Request(url + path, data=json.dumps(body).encode() if body is not None else None, method=method, headers=auth)
    return json.load(urllib.request.urlopen(req))
start = time.time()
page = post("/_api/cursor", {"query": "FOR d IN docs RETURN d", "batchSize": 1000, "options": {"stream": True}})
rows = len(page["result"])
while page["hasMore"]:
    page = post("/_api/cursor/" + page["id"])
    rows += len(page["result"])
print(f"stream cursor    {rows} rows in {time.time() - start:.2f} s", file=sys.stderr)
PY
pkill -TERM -P $server
wait $server || true
printf 'server peak RSS  %s kB\n' "$(awk '/Maximum resident set size/ {print $6}' "$log")"
