#!/usr/bin/env bash
# Load figures for teng-server on loopback: a fresh demo database of N listings (default 100000),
# then wrk against the hot read paths. Needs `wrk` (Debian: apt-get install wrk) and curl.
# Usage: server/bench/wrk.sh [listings] [seconds]
#   TENG_BENCH_DB=postgres server/bench/wrk.sh ...   # the same on PostgreSQL (a throwaway cluster
#                                                    # from scripts/lib/postgres.sh, database teng_bench_wrk)
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

DB="$DIR/teng.db"
if [[ "${TENG_BENCH_DB:-sqlite}" == postgres ]]; then
    # shellcheck source=../../scripts/lib/postgres.sh
    source scripts/lib/postgres.sh
    teng_pg_start
    psql "$TENG_TEST_POSTGRES_URL" -q -c "DROP DATABASE IF EXISTS teng_bench_wrk WITH (FORCE)" \
        -c "CREATE DATABASE teng_bench_wrk"
    DB="${TENG_TEST_POSTGRES_URL%/*}/teng_bench_wrk"
fi
echo "database: $DB"
"$BIN" --log warn serve --db "$DB" --listen "127.0.0.1:$PORT" --demo --demo-listings "$LISTINGS" \
    > "$DIR/out.txt" 2>&1 &
PID=$!
for _ in $(seq 1 600); do
    curl -fs "$BASE/healthz" >/dev/null 2>&1 && break
    sleep 0.5
done
curl -fs "$BASE/healthz" >/dev/null || { cat "$DIR/out.txt"; exit 1; }

ID="$(curl -fs "$BASE/v1/listings?limit=1" | grep -o '"id":"[0-9a-f-]*"' | sed -n 1p | cut -d'"' -f4)"
LAST="$(curl -fs "$BASE/v1/sync/pull?since=0&limit=1" | grep -o '"next":[0-9]*' | cut -d: -f2)"
TOTAL="$("$BIN" admin --db "$DB" stats | grep -o '"last_seq": [0-9]*' | grep -o '[0-9]*$')"
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

# First sync from a snapshot: a warm server answers chunk 0 from memory; nginx serves the same bytes
# as a static file, on the same machine, in the same run (scripts/toolchain/nginx.sh installs it).
for _ in $(seq 1 600); do
    curl -fs "$BASE/v1/sync/snapshot" -o "$DIR/manifest.json" && break
    sleep 0.5
done
CHUNK="$(grep -o '"url":"[^"]*"' "$DIR/manifest.json" | sed -n 1p | cut -d'"' -f4)"
mkdir -p "$DIR/static"
curl -fs -H "Accept-Encoding: gzip" "$BASE$CHUNK" -o "$DIR/static/chunk.gz"
echo
echo "snapshot chunk: $CHUNK, $(stat -c %s "$DIR/static/chunk.gz") bytes gzip"
run "snapshot chunk (500 records, gzip, warm)" -H "Accept-Encoding: gzip" "$BASE$CHUNK"
bash scripts/toolchain/nginx.sh
NGINX_PORT="${NGINX_PORT:-18182}"
mkdir -p "$DIR/nginx"
cat > "$DIR/nginx/nginx.conf" <<CONF
user root;
worker_processes auto;
daemon off;
pid $DIR/nginx/nginx.pid;
error_log $DIR/nginx/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    client_body_temp_path $DIR/nginx;
    proxy_temp_path $DIR/nginx;
    fastcgi_temp_path $DIR/nginx;
    uwsgi_temp_path $DIR/nginx;
    scgi_temp_path $DIR/nginx;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $DIR/static;
        default_type application/json;
    }
}
CONF
/usr/sbin/nginx -c "$DIR/nginx/nginx.conf" -p "$DIR/nginx" &
NGINX_PID=$!
trap 'kill "$PID" "$NGINX_PID" 2>/dev/null || true; wait "$PID" "$NGINX_PID" 2>/dev/null || true; rm -rf "$DIR"' EXIT
for _ in $(seq 1 50); do
    curl -fs "http://127.0.0.1:$NGINX_PORT/chunk.gz" -o /dev/null && break
    sleep 0.1
done
run "nginx: the same chunk as a static file" "http://127.0.0.1:$NGINX_PORT/chunk.gz"

# Push: 100 save_job mutations a request from one device, each with a fresh id (see push-many.lua,
# given one token); mutations/s = requests/s x 100.
TOKEN="$(curl -fs -X POST "$BASE/v1/devices" | grep -o '"token":"[^"]*"' | cut -d'"' -f4)"
SAMPLE="$(curl -fs -X POST "$BASE/v1/sync/push" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d "{\"mutations\":[{\"id\":\"ffffffff-0000-4000-8000-000000000001\",\"op\":\"save_job\",\"listing_id\":\"$ID\"}]}")"
echo
echo "push check: $SAMPLE"
run "sync push of 100 save_job mutations" -s server/bench/push-many.lua "$BASE" -- "$ID" "$TOKEN"
