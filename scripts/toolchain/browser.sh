#!/usr/bin/env bash
# Headless browser toolchain for the web pages' real-browser tests (scripts/test-browser.sh) and
# screenshots (scripts/screenshots.sh).
#
#   source scripts/toolchain/browser.sh   # installs what is missing, then exports
#                                         #   TENG_CHROMIUM, TENG_BROWSER_NODE_MODULES, NODE
#   bash scripts/toolchain/browser.sh     # the same, and prints the values
#
# Sourcing never changes the caller's shell options; the install itself runs in a child bash with
# `set -euo pipefail`, so it is strict even when the caller is not. A failed install makes `source`
# return non-zero (with `set -e` in the caller, that stops the caller).
#
# Where things come from, given that the network reaches only the package registries:
#   chromium: Debian's package (/usr/bin/chromium), apt-get installed when missing
#   node, npm: Debian's packages, apt-get installed when missing
#   playwright-core (the driver only: it ships no browser and downloads none) and axe-core: npm,
#       pinned, into $TENG_TOOLCHAINS_DIR/browser. PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 is set for the
#       install and for every run; nothing here ever runs `playwright install`.
# tests/browser/lib/browser.mjs launches the Debian chromium with the flags this closed network
# needs (no first-run, no background networking or component updates, a fresh profile).

TENG_PLAYWRIGHT_VERSION=1.65.2
TENG_AXE_VERSION=4.14.1
TENG_CHROMIUM=/usr/bin/chromium
# Bump when the install steps change, so old caches are redone instead of trusted.
_TENG_BROWSER_STAMP_KEY="playwright-core@${TENG_PLAYWRIGHT_VERSION} axe-core@${TENG_AXE_VERSION} layout=1"

_TENG_BROWSER_SH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
TENG_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TENG_BROWSER_DIR="${TENG_TOOLCHAINS_DIR:-$TENG_REPO_ROOT/.cache/toolchains}/browser"

# Fast path: only file tests and `command -v`, so sourcing a warm cache costs milliseconds.
_teng_browser_ready() {
    [[ -f "$TENG_BROWSER_DIR/.stamp" && "$(<"$TENG_BROWSER_DIR/.stamp")" == "$_TENG_BROWSER_STAMP_KEY" ]] || return 1
    [[ -f "$TENG_BROWSER_DIR/node_modules/playwright-core/package.json" ]] || return 1
    [[ -f "$TENG_BROWSER_DIR/node_modules/axe-core/axe.min.js" ]] || return 1
    # chromium and node live outside the cache: a new machine with a copied cache still needs apt.
    [[ -x "$TENG_CHROMIUM" ]] || return 1
    command -v node >/dev/null
}

_teng_browser_die() { printf 'scripts/toolchain/browser.sh: error: %s\n' "$*" >&2; exit 1; }

# Runs under `set -euo pipefail` (direct-run path only).
_teng_browser_install() {
    local missing=() log
    log="$(mktemp)"
    # shellcheck disable=SC2064  # expand now: $log is local
    trap "rm -f '$log'" EXIT

    [[ -x "$TENG_CHROMIUM" ]] || missing+=(chromium)
    command -v node >/dev/null || missing+=(nodejs)
    command -v npm >/dev/null || missing+=(npm)
    # The pages use system-ui; without any font chromium renders nothing readable in screenshots.
    dpkg-query -W -f='${db:Status-Abbrev}' fonts-dejavu-core 2>/dev/null | grep -q '^ii' ||
        missing+=(fonts-dejavu-core)
    if ((${#missing[@]})); then
        [[ "$(id -u)" == 0 ]] || _teng_browser_die "need root to apt-get install ${missing[*]}"
        echo "browser.sh: apt-get install ${missing[*]}" >&2
        # A fresh machine may have no package lists yet, so update before installing.
        if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
            cat "$log" >&2
            _teng_browser_die "apt-get install ${missing[*]} failed"
        fi
    fi
    [[ -x "$TENG_CHROMIUM" ]] || _teng_browser_die "$TENG_CHROMIUM is missing although chromium is installed"

    # Start from an empty folder: a half-finished npm install is not worth repairing.
    rm -rf "$TENG_BROWSER_DIR"
    mkdir -p "$TENG_BROWSER_DIR"
    printf '{ "name": "teng-browser-toolchain", "private": true }\n' >"$TENG_BROWSER_DIR/package.json"
    echo "browser.sh: npm install playwright-core@$TENG_PLAYWRIGHT_VERSION axe-core@$TENG_AXE_VERSION into $TENG_BROWSER_DIR" >&2
    if ! PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --prefix "$TENG_BROWSER_DIR" --no-audit --no-fund \
        --loglevel=error --save-exact --ignore-scripts \
        "playwright-core@$TENG_PLAYWRIGHT_VERSION" "axe-core@$TENG_AXE_VERSION" >"$log" 2>&1; then
        cat "$log" >&2
        _teng_browser_die "npm install playwright-core@$TENG_PLAYWRIGHT_VERSION axe-core@$TENG_AXE_VERSION failed"
    fi
    [[ -f "$TENG_BROWSER_DIR/node_modules/axe-core/axe.min.js" ]] ||
        _teng_browser_die "axe-core has no axe.min.js (did the npm package layout change?)"
    # Proves the driver loads and the browser starts before the cache is trusted.
    TENG_CHROMIUM="$TENG_CHROMIUM" TENG_BROWSER_NODE_MODULES="$TENG_BROWSER_DIR/node_modules" \
        PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 timeout 120 node "$TENG_REPO_ROOT/tests/browser/lib/smoke.mjs" >"$log" 2>&1 ||
        { cat "$log" >&2; _teng_browser_die "headless chromium did not start through playwright-core"; }

    printf '%s\n' "$_TENG_BROWSER_STAMP_KEY" >"$TENG_BROWSER_DIR/.stamp"
}

_teng_browser_export() {
    export TENG_CHROMIUM TENG_BROWSER_NODE_MODULES NODE PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
    TENG_BROWSER_NODE_MODULES="$TENG_BROWSER_DIR/node_modules"
    NODE="$(command -v node)"
}

# For sourcing callers: installs through a child bash (strict mode there, not here), then exports.
teng_browser_ensure() {
    if ! _teng_browser_ready; then
        "${BASH:-bash}" "$_TENG_BROWSER_SH" >&2 || {
            printf 'scripts/toolchain/browser.sh: error: browser toolchain install failed\n' >&2
            return 1
        }
        _teng_browser_ready || {
            printf 'scripts/toolchain/browser.sh: error: install finished but the toolchain is incomplete\n' >&2
            return 1
        }
    fi
    _teng_browser_export
}

_teng_browser_main() {
    set -euo pipefail
    if ! _teng_browser_ready; then
        local start=$SECONDS
        mkdir -p "$(dirname "$TENG_BROWSER_DIR")"
        # Concurrent first calls would otherwise delete each other's install; the one that waited
        # finds the stamp and does nothing.
        exec 9>"$(dirname "$TENG_BROWSER_DIR")/.browser.lock"
        flock 9
        if ! _teng_browser_ready; then
            _teng_browser_install
            _teng_browser_ready || _teng_browser_die "install finished but the toolchain is incomplete"
            echo "browser.sh: installed in $((SECONDS - start))s" >&2
        fi
        exec 9>&-
    fi
    _teng_browser_export
    printf 'TENG_CHROMIUM=%s\nTENG_BROWSER_NODE_MODULES=%s\nNODE=%s\n' \
        "$TENG_CHROMIUM" "$TENG_BROWSER_NODE_MODULES" "$NODE"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    _teng_browser_main "$@"
else
    teng_browser_ensure
fi
