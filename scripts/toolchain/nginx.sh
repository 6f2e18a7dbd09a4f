#!/usr/bin/env bash
# nginx, the static-file baseline of server/bench/wrk.sh (a snapshot chunk served by teng-server
# against the same bytes served by nginx as a file): Debian's package, apt-get installed when
# missing (needs root). Idempotent: a machine that has it returns at once. Only the binary is
# used; the bench starts it with its own configuration in a temp dir, never as a service.
set -euo pipefail

if command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]]; then
    exit 0
fi
echo "nginx.sh: installing Debian's nginx" >&2
if [[ $(id -u) -ne 0 ]]; then
    echo "nginx.sh: needs root for apt-get (or install the Debian package nginx yourself)" >&2
    exit 1
fi
# The package's own service must not start (policy-rc.d exit 101 = "do not start"); a machine's
# own policy-rc.d is left as it is.
if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nginx-light >&2 ||
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nginx >&2 ||
    { apt-get update -q >&2 &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nginx >&2; }
[[ -x /usr/sbin/nginx ]]
