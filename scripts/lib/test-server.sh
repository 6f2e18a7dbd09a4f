# shellcheck shell=bash
# Starts a real teng-server on loopback for the tests that drive it over HTTP (bindings, browser,
# API contract, Open311 client): a fresh demo database in a temp folder, a free port, and a trap
# that stops it when the calling script exits.
# Source it, then call `teng_test_server_start [listings]`; it exports TENG_TEST_SERVER_URL and
# TENG_TEST_ADMIN_PASSWORD (the demo admin's, from the server's first output: the tests answer
# reports as a city office would).
# Runs on the host: the Swift chroot shares the host's network, so the URL works inside it too.

teng_test_server_start() {
    local listings="${1:-200}"
    local target="${CARGO_TARGET_DIR:-target}"
    cargo build --locked -q -p teng-server >&2
    local bin="$target/debug/teng-server"
    TENG_TEST_SERVER_DIR="$(mktemp -d)"
    local port
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    "$bin" --log warn serve --db "$TENG_TEST_SERVER_DIR/server.db" --listen "127.0.0.1:$port" \
        --demo --demo-listings "$listings" >"$TENG_TEST_SERVER_DIR/server.log" 2>&1 &
    TENG_TEST_SERVER_PID=$!
    trap teng_test_server_stop EXIT
    export TENG_TEST_SERVER_URL="http://127.0.0.1:$port"
    local _
    for _ in $(seq 1 300); do
        if curl -fs "$TENG_TEST_SERVER_URL/healthz" >/dev/null 2>&1; then
            TENG_TEST_ADMIN_PASSWORD="$(sed -n 's/^ *admin *username: *admin *password: *\([^ ]*\).*$/\1/p' \
                "$TENG_TEST_SERVER_DIR/server.log" | head -n 1)"
            export TENG_TEST_ADMIN_PASSWORD
            echo "test server: $TENG_TEST_SERVER_URL ($listings demo listings)" >&2
            return 0
        fi
        if ! kill -0 "$TENG_TEST_SERVER_PID" 2>/dev/null; then
            break
        fi
        sleep 0.2
    done
    echo "test server did not start; its log:" >&2
    cat "$TENG_TEST_SERVER_DIR/server.log" >&2
    return 1
}

teng_test_server_stop() {
    if [[ -n "${TENG_TEST_SERVER_PID:-}" ]]; then
        kill "$TENG_TEST_SERVER_PID" 2>/dev/null || true
        wait "$TENG_TEST_SERVER_PID" 2>/dev/null || true
        TENG_TEST_SERVER_PID=
    fi
    if [[ -n "${TENG_TEST_SERVER_DIR:-}" ]]; then
        rm -rf "$TENG_TEST_SERVER_DIR"
        TENG_TEST_SERVER_DIR=
    fi
}

# Runs a test driver against the test server: `teng_test_server_run LABEL COMMAND...`. The driver
# ends with the line "LABEL: N passed, N failed", which scripts/test.sh adds up; one that dies
# before it counts as one failure. On a failure the server's log is shown. Returns the status.
teng_test_server_run() {
    local label="$1"
    shift
    local out="$TENG_TEST_SERVER_DIR/$label.out"
    local status=0
    "$@" 2>&1 | tee "$out" || status=$?
    if ! grep -Eq "^$label: [0-9]+ passed, [0-9]+ failed" "$out"; then
        echo "$label: 0 passed, 1 failed"
        ((status != 0)) || status=1
    fi
    if ((status != 0)); then
        echo "$(basename "$0"): the server's log (last 40 lines):" >&2
        tail -n 40 "$TENG_TEST_SERVER_DIR/server.log" >&2
    fi
    return "$status"
}
