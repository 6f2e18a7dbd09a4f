#!/usr/bin/env bash
# wrk, the HTTP load generator the benchmarks use (server/bench/wrk.sh, `cargo bench -p teng-tests
# --bench web`): Debian's package, apt-get installed when missing (needs root). Idempotent: a
# machine that has it returns at once.
#
#   bash scripts/toolchain/wrk.sh && cargo bench -p teng-tests --bench web
set -euo pipefail

if command -v wrk >/dev/null; then
    exit 0
fi
echo "wrk.sh: installing Debian's wrk" >&2
if [[ $(id -u) -ne 0 ]]; then
    echo "wrk.sh: needs root for apt-get (or install the Debian package wrk yourself)" >&2
    exit 1
fi
DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >&2 ||
    { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >&2; }
command -v wrk >/dev/null
