#!/usr/bin/env bash
# Change-stream benchmark of `locus serve --pop` (release build): commit-to-subscriber latency
# over a loopback WebSocket, and fan-out to many subscribers of one collection. Needs the
# Python packages of Tests/Drivers/requirements.txt (websocket-client), in $LOCUS_PYTHON's
# environment or the CI one.
#
#   Benchmarks/changes/run.sh [latency] [fanout]
#   SUBSCRIBERS=1000 RATE=50 SECONDS=5 Benchmarks/changes/run.sh fanout
set -euo pipefail
cd "$(dirname "$0")/../.."
python=${LOCUS_PYTHON:-.build/ci-venv/bin/python}
[ -x "$python" ] || { echo "no Python with websocket-client: set LOCUS_PYTHON (see .ci/run)" >&2; exit 1; }
[ -x "${LOCUS_BINARY:-.build/release/locus}" ] || { echo "build first: swift build -c release" >&2; exit 1; }
ulimit -n 65536 2>/dev/null || true
exec "$python" Benchmarks/changes/bench.py "$@"
