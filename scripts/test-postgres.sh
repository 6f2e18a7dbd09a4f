#!/usr/bin/env bash
# The integration suites again, on PostgreSQL (issue 15): the server's own tests (server/tests)
# and the end-to-end ones (tests/), each test on a database of its own, through the same
# TestServer as on SQLite (TENG_TEST_POSTGRES_URL switches it). Debian's PostgreSQL is installed
# when missing and a throwaway cluster started by scripts/lib/postgres.sh (idempotent, cached in
# $TENG_PG_DIR); it is stopped again at the end unless it was running before.
#
#   scripts/test-postgres.sh            # both suites
#   scripts/test-postgres.sh -p teng-server --test sync    # any cargo test selection
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS

# shellcheck source=lib/postgres.sh
source scripts/lib/postgres.sh
was_running=0
bash scripts/lib/postgres.sh url >/dev/null 2>&1 && was_running=1
teng_pg_start
if [[ $was_running -eq 0 ]]; then
    trap 'teng_pg_stop' EXIT
fi
export TENG_TEST_POSTGRES_URL

if [[ $# -eq 0 ]]; then
    # The whole workspace's test targets, as the main test step built them (selecting only the two
    # packages would resolve other features and rebuild half the dependencies); the other crates'
    # tests do not read TENG_TEST_POSTGRES_URL and run again in seconds.
    set -- --workspace --tests
fi
cargo test --locked "$@"
echo "test-postgres.sh: $((SECONDS - start))s"
