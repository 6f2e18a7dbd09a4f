#!/usr/bin/env bash
# Real-browser tests of the web pages (issue 12): headless Debian chromium driven by
# playwright-core against a real demo teng-server on loopback. tests/browser/run.mjs runs
#   - a11y.test.mjs: every NGO/admin/public page in ky, ru and en through axe-core (WCAG 2.2 AA
#     rules, 0 violations), reflow at 320 px, page weight, no request to another host;
#   - journeys.test.mjs: keyboard-only journeys (a listing from draft to a phone's search via the
#     `teng` CLI, a CSV import with a bad row then a good one, an admin creating a user), and the
#     listing form with JavaScript disabled.
# Prints one line per test and closes with "browser: N passed, N failed"; exits non-zero on failure.
#
#   scripts/test-browser.sh                         # everything
#   TENG_BROWSER_ONLY=journey scripts/test-browser.sh   # only tests whose name contains "journey"
#   scripts/test-browser.sh --screenshots docs/screenshots       # the curated screenshots, kept there
#   scripts/test-browser.sh --screenshots --all /tmp/shots       # every page, every language, to review
#
# The browser toolchain (chromium from Debian, playwright-core and axe-core from npm) is installed
# once by scripts/toolchain/browser.sh; no browser is downloaded from anywhere else.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
export TENG_TOOLCHAINS_DIR="${TENG_TOOLCHAINS_DIR:-${XDG_CACHE_HOME:-${HOME:-/var/cache}/.cache}/teng-toolchains}"

# shellcheck source=scripts/toolchain/browser.sh
source scripts/toolchain/browser.sh # exports TENG_CHROMIUM, TENG_BROWSER_NODE_MODULES, NODE

# The phone side of journey 1: the terminal client syncs from the server and searches offline.
target="${CARGO_TARGET_DIR:-target}"
cargo build --locked -q -p teng-cli >&2
TENG_CLI="$(cd "$target/debug" && pwd)/teng"
export TENG_CLI

# shellcheck source=scripts/lib/test-server.sh
source scripts/lib/test-server.sh
teng_test_server_start 300

# The demo accounts' passwords, as the server printed them:
#     admin  username: admin  password: 0123abcd...
demo_password() {
    sed -n "s/^ *[a-z]* *username: $1 *password: \([^ ]*\) *$/\1/p" "$TENG_TEST_SERVER_DIR/server.log" | head -n 1
}
for _ in $(seq 1 50); do
    [[ -n "$(demo_password city)" ]] && break
    sleep 0.1
done
TENG_ADMIN_PASSWORD="$(demo_password admin)"
TENG_NGO_PASSWORD="$(demo_password ngo)"
TENG_CITY_PASSWORD="$(demo_password city)"
if [[ -z "$TENG_ADMIN_PASSWORD" || -z "$TENG_NGO_PASSWORD" || -z "$TENG_CITY_PASSWORD" ]]; then
    echo "test-browser.sh: no demo passwords in the server's log:" >&2
    cat "$TENG_TEST_SERVER_DIR/server.log" >&2
    exit 1
fi
export TENG_ADMIN_PASSWORD TENG_NGO_PASSWORD TENG_CITY_PASSWORD
export TENG_BROWSER_WORK_DIR="$TENG_TEST_SERVER_DIR"

# The same demo server and browser serve the screenshots (tests/browser/screenshots.mjs).
if [[ "${1:-}" == "--screenshots" ]]; then
    shift
    "$NODE" tests/browser/screenshots.mjs "$@"
    exit
fi

status=0
teng_test_server_run browser "$NODE" tests/browser/run.mjs || status=$?
echo "test-browser.sh: $((SECONDS - start))s" >&2
exit "$status"
