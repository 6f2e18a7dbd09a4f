#!/usr/bin/env bash
# Open311 GeoReport v2 (docs/open311.md) driven by a real Open311 client library from PyPI
# (`georeport`, the one that runs on Python 3; see scripts/lib/open311_client.py) against a real
# demo teng-server on loopback: list services, read a service definition, POST a request with an
# API key issued by `teng-server admin issue-api-key`, fetch it back, filter, and see a bad key and
# another jurisdiction refused. In XML and JSON.
#
# The client is installed once into a venv under $TENG_TOOLCHAINS_DIR (as the other toolchains);
# later runs reuse it without touching PyPI. Prints one line per check and closes with
# "open311-client: N passed, N failed"; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
export TENG_TOOLCHAINS_DIR="${TENG_TOOLCHAINS_DIR:-${XDG_CACHE_HOME:-${HOME:-/var/cache}/.cache}/teng-toolchains}"

GEOREPORT_VERSION=0.3.1
venv="$TENG_TOOLCHAINS_DIR/open311-client-venv"
if ! "$venv/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('georeport') != '$GEOREPORT_VERSION')" 2>/dev/null; then
    echo "test-open311-client.sh: installing georeport $GEOREPORT_VERSION into $venv" >&2
    rm -rf "$venv"
    mkdir -p "$TENG_TOOLCHAINS_DIR"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --disable-pip-version-check --no-input -q "georeport==$GEOREPORT_VERSION"
fi

# shellcheck source=scripts/lib/test-server.sh
source scripts/lib/test-server.sh
teng_test_server_start 50

target="${CARGO_TARGET_DIR:-target}"
key="$("$target/debug/teng-server" --log warn admin --db "$TENG_TEST_SERVER_DIR/server.db" \
    issue-api-key --name open311-client-test)"

status=0
teng_test_server_run open311-client "$venv/bin/python" scripts/lib/open311_client.py "$TENG_TEST_SERVER_URL" "$key" || status=$?
echo "test-open311-client.sh: $((SECONDS - start))s" >&2
exit "$status"
