#!/usr/bin/env bash
# Push throughput with one and with several teng-server processes on one PostgreSQL database
# (issue 15): batches of 100 save_job mutations from many devices (server/bench/push-many.lua),
# first against one process, then spread over N processes at once (one wrk per process, the same
# total connections). Needs wrk and Debian's PostgreSQL (both installed when missing).
# Usage: server/bench/processes.sh [processes] [seconds] [listings]
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-4}"
SECONDS_PER_RUN="${2:-10}"
LISTINGS="${3:-1000}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}"

bash scripts/toolchain/wrk.sh
# shellcheck source=../../scripts/lib/postgres.sh
source scripts/lib/postgres.sh
teng_pg_start
cargo build --release -p teng-server >&2
BIN="$CARGO_TARGET_DIR/release/teng-server"
DB_NAME="teng_bench_processes"
psql "$TENG_TEST_POSTGRES_URL" -q -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" -c "CREATE DATABASE $DB_NAME"
DB="${TENG_TEST_POSTGRES_URL%/*}/$DB_NAME"
DIR="$(mktemp -d)"
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$DIR"' EXIT

serve() {
    local port="$1"; shift
    "$BIN" --log warn serve --db "$DB" --listen "127.0.0.1:$port" \
        --device-registrations-per-minute 1000000 "$@" > "$DIR/$port.log" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 1 600); do
        curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && return
        sleep 0.2
    done
    cat "$DIR/$port.log"; exit 1
}

BASE_PORT=18300
serve "$BASE_PORT" --demo --demo-listings "$LISTINGS"
BASE="http://127.0.0.1:$BASE_PORT"
ID="$(curl -fs "$BASE/v1/listings?limit=1" | grep -o '"id":"[0-9a-f-]*"' | sed -n 1p | cut -d'"' -f4)"
TOKENS=""
for _ in $(seq 1 400); do
    T="$(curl -fs -X POST "$BASE/v1/devices" | grep -o '"token":"[^"]*"' | cut -d'"' -f4)"
    TOKENS="${TOKENS:+$TOKENS,}$T"
done

push() { # url connections
    wrk -t1 -c"$2" -d"${SECONDS_PER_RUN}s" --timeout 30s --latency -s server/bench/push-many.lua "$1" -- "$ID" "$TOKENS"
}
rate() { grep -o 'Requests/sec: *[0-9.]*' | grep -o '[0-9.]*$'; }

echo "listings: $LISTINGS, devices: 400, cores: $(nproc), PostgreSQL: $DB"
echo
echo "== one process, 8 connections"
push "$BASE" 8 | tee "$DIR/one8.txt" | grep -E "Requests/sec|50%|99%|Non-2xx"
echo "== one process, 32 connections"
push "$BASE" 32 | tee "$DIR/one.txt" | grep -E "Requests/sec|50%|99%|Non-2xx"
# The better of the two is the one-process figure.
ONE="$(cat "$DIR/one8.txt" "$DIR/one.txt" | rate | sort -g | tail -1)"

for i in $(seq 1 $((N - 1))); do
    serve $((BASE_PORT + i))
done
echo
echo "== $N processes, $((32 / N)) connections each, at once"
WRKS=()
for i in $(seq 0 $((N - 1))); do
    push "http://127.0.0.1:$((BASE_PORT + i))" $((32 / N)) > "$DIR/many-$i.txt" &
    WRKS+=($!)
done
wait "${WRKS[@]}"
MANY=0
for i in $(seq 0 $((N - 1))); do
    R="$(rate < "$DIR/many-$i.txt")"
    echo "process $i: $R batches/s"
    MANY="$(awk -v a="$MANY" -v b="$R" 'BEGIN { print a + b }')"
done
echo
awk -v one="$ONE" -v many="$MANY" -v n="$N" 'BEGIN {
    printf "one process:  %8.1f batches/s = %9.0f mutations/s\n", one, one * 100
    printf "%d processes:  %8.1f batches/s = %9.0f mutations/s (%.2fx)\n", n, many, many * 100, many / one
}'
