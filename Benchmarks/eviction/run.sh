#!/usr/bin/env bash
# Eviction in proportion to what moves. A PoP of the trio fabric holds N documents in `users`
# (default 1,000,000) and 1,000 in `sessions`; three policies are set at it in turn, each timed
# with `locus policy set` until it returns (process start included):
#   1. the first policy: every record is judged and its placement stored; nothing is evicted;
#   2. a rule narrows `users`: every user is judged again, 5 are evicted and erased;
#   3. a rule narrows `sessions` only: its 1,000 records are judged, 5 evicted and erased,
#      while the N users, whose rules did not change, are not judged at all.
# After each eviction the PoP's files are scanned for the evicted records' canaries; none may
# be found.
#
#   Benchmarks/eviction/run.sh [N]        LOCUS=path/to/locus to pick the binary
set -euo pipefail
N=${1:-1000000}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LOCUS=${LOCUS:-$ROOT/.build/release/locus}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
FABRIC="$WORK/fabric"

"$LOCUS" fabric init --fabric "$ROOT/Fixtures/fabrics/trio.json" --dir "$FABRIC" > /dev/null
generate() {  # generate COUNT CANARY-PREFIX
    python3 - "$1" "$2" <<'PY'
import random, sys
n, prefix = int(sys.argv[1]), sys.argv[2]
rng = random.Random(7)
moved = set(rng.sample(range(n), 5))
for i in range(n):
    residency = "US" if i in moved else "ANY"
    note = f"{prefix}-{i:08d}" if i in moved else "x" * rng.randint(40, 200)
    print(f'{{"_key": "k{rng.getrandbits(48):012x}{i}", "residency": "{residency}", "note": "{note}", "age": {rng.randint(18, 90)}}}')
PY
}
generate "$N" USERS-CANARY > "$WORK/users.jsonl"
generate 1000 SESSIONS-CANARY > "$WORK/sessions.jsonl"
"$LOCUS" import users "$WORK/users.jsonl" --pop fra --dir "$FABRIC" > /dev/null
"$LOCUS" import sessions "$WORK/sessions.jsonl" --pop fra --dir "$FABRIC" > /dev/null

policy() {  # policy VERSION USERS-RULES SESSIONS-RULES
    cat <<JSON
{"version": $1, "default": "everywhere", "collections": {
  "users": {"placement": "everywhere", "rules": [$2]},
  "sessions": {"placement": "everywhere", "rules": [$3]}}}
JSON
}
EU='{"when": "doc.residency == '"'EU'"'", "allow": ["jurisdiction:eu"]}'
US='{"when": "doc.residency == '"'US'"'", "allow": ["jurisdiction:us"]}'
policy 1 "$EU" "$EU" > "$WORK/p1.json"
policy 2 "$EU, $US" "$EU" > "$WORK/p2.json"
policy 3 "$EU, $US" "$EU, $US" > "$WORK/p3.json"

set_policy() {  # set_policy FILE LABEL [CANARY-PREFIX]
    local start end left
    start=$(date +%s.%N)
    "$LOCUS" policy set "$1" --pop fra --dir "$FABRIC" > /dev/null
    end=$(date +%s.%N)
    printf '%-58s %6.2f s' "$2" "$(echo "$end - $start" | bc)"
    if [ -n "${3:-}" ]; then
        left=$(cat "$FABRIC"/fra.db* | grep -c -a "$3" || true)
        printf ', evicted canaries left: %s' "$left"
        [ "$left" = 0 ] || { echo; exit 1; }
    fi
    echo
}
echo "fra holds $N users and 1,000 sessions, $(du -m "$FABRIC/fra.db" | cut -f1) MB"
set_policy "$WORK/p1.json" "1. first policy (all judged, none evicted)"
set_policy "$WORK/p2.json" "2. users narrowed (all judged, 5 evicted)" USERS-CANARY
set_policy "$WORK/p3.json" "3. sessions narrowed (1,000 judged, 5 evicted)" SESSIONS-CANARY
