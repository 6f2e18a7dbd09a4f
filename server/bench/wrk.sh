#!/usr/bin/env bash
# Load figures for teng-server on loopback: a fresh demo database of N listings (default 100000),
# then wrk against the hot read paths. Needs `wrk` (Debian: apt-get install wrk) and curl.
# Usage: server/bench/wrk.sh [listings] [seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
LISTINGS="${1:-100000}"
SECONDS_PER_RUN="${2:-10}"
PORT="${PORT:-18181}"
BASE="http://127.0.0.1:$PORT"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}"

bash "$(dirname "$0")/../../scripts/toolchain/wrk.sh"
cargo build --release -p teng-server >&2
BIN="$CARGO_TARGET_DIR/release/teng-server"
DIR="$(mktemp -d)"
trap 'kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; rm -rf "$DIR"' EXIT

"$BIN" --log warn serve --db "$DIR/teng.db" --listen "127.0.0.1:$PORT" --demo --demo-listings "$LISTINGS" \
    > "$DIR/out.txt" 2>&1 &
PID=$!
for _ in $(seq 1 600); do
    curl -fs "$BASE/healthz" >/dev/null 2>&1 && break
    sleep 0.5
done
curl -fs "$BASE/healthz" >/dev/null || { cat "$DIR/out.txt"; exit 1; }

ID="$(curl -fs "$BASE/v1/listings?limit=1" | grep -o '"id":"[0-9a-f-]*"' | head -1 | cut -d'"' -f4)"
LAST="$(curl -fs "$BASE/v1/sync/pull?since=0&limit=1" | grep -o '"next":[0-9]*' | cut -d: -f2)"
TOTAL="$("$BIN" admin --db "$DIR/teng.db" stats | grep -o '"last_seq": [0-9]*' | grep -o '[0-9]*$')"
echo "listings: $LISTINGS, change log: $TOTAL, cores: $(nproc)"

run() {
    local name="$1"; shift
    echo
    echo "== $name"
    wrk -t2 -c32 -d"${SECONDS_PER_RUN}s" --latency "$@" | grep -E "Requests/sec|Transfer/sec|50%|99%|Non-2xx|Socket errors"
}

run "healthz" "$BASE/healthz"
run "listing by id" "$BASE/v1/listings/$ID"
run "listings page (50)" "$BASE/v1/listings?limit=50"
run "empty sync pull (up to date)" "$BASE/v1/sync/pull?since=$TOTAL"
run "sync pull page of 500, gzip" -H "Accept-Encoding: gzip" "$BASE/v1/sync/pull?since=$LAST&limit=500"
run "sync pull page of 500, zstd" -H "Accept-Encoding: zstd" "$BASE/v1/sync/pull?since=$LAST&limit=500"

# Push: 100 save_job mutations a request, each with a fresh id (see push.lua); mutations/s = requests/s x 100.
TOKEN="$(curl -fs -X POST "$BASE/v1/devices" | grep -o '"token":"[^"]*"' | cut -d'"' -f4)"
SAMPLE="$(curl -fs -X POST "$BASE/v1/sync/push" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d "{\"mutations\":[{\"id\":\"ffffffff-0000-4000-8000-000000000001\",\"op\":\"save_job\",\"listing_id\":\"$ID\"}]}")"
echo
echo "push check: $SAMPLE"
run "sync push of 100 save_job mutations" -s server/bench/push.lua "$BASE" -- "$ID" "$TOKEN"
