#!/usr/bin/env bash
# Runs every check and test of the project: formatting, lints, all Rust tests (unit, integration,
# end-to-end; the integration suites on SQLite and again on PostgreSQL), the fuzz targets for a bounded time, the web pages in headless Chromium, the API
# contract, an Open311 client, the Kotlin and Swift bindings tests, and the android-demo's JVM
# tests. This is the README's test command and what CI runs (.ci/run calls exactly this).
# Toolchains that a step needs are installed by that step's own script, idempotently.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# A run of the test command builds from scratch once; incremental caches would only add gigabytes
# of disk (CI's disk is shared and ran out once). Set CARGO_INCREMENTAL=1 to keep them.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
# Kotlin and Swift toolchains (kotlinc from npm, a Debian trixie chroot with Swift: 2.7 GB) are
# cached outside the clone, so every clone on a machine (CI's among them) installs them once.
export TENG_TOOLCHAINS_DIR="${TENG_TOOLCHAINS_DIR:-${XDG_CACHE_HOME:-${HOME:-/var/cache}/.cache}/teng-toolchains}"

step() { printf '\n==> %s\n' "$*"; }

log="$(mktemp)"
trap 'rm -f "$log"' EXIT

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (all targets, warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo test (workspace)"
cargo test --workspace --locked 2>&1 | tee -a "$log"

step "The integration suites on PostgreSQL (scripts/test-postgres.sh)"
bash scripts/test-postgres.sh 2>&1 | tee -a "$log"

step "Fuzzing: each cargo-fuzz target for a bounded time on its corpus (scripts/test-fuzz.sh)"
bash scripts/test-fuzz.sh 2>&1 | tee -a "$log"

step "Web pages in a real browser: axe-core and keyboard journeys (scripts/test-browser.sh)"
bash scripts/test-browser.sh 2>&1 | tee -a "$log"

step "API contract: schemathesis, all checks, against a demo server (scripts/test-api-contract.sh)"
bash scripts/test-api-contract.sh 2>&1 | tee -a "$log"

step "Open311 with a real PyPI client (scripts/test-open311-client.sh)"
bash scripts/test-open311-client.sh 2>&1 | tee -a "$log"

step "Kotlin bindings on the JVM (scripts/test-kotlin.sh)"
bash scripts/test-kotlin.sh 2>&1 | tee -a "$log"

step "Swift bindings in the trixie chroot (scripts/test-swift.sh)"
bash scripts/test-swift.sh 2>&1 | tee -a "$log"

step "Packaging for Android and iOS, what Linux can check (scripts/package-*.sh --check)"
bash scripts/package-android.sh --check 2>&1 | tee -a "$log"
bash scripts/package-swift.sh --check 2>&1 | tee -a "$log"

step "android-demo's shared Kotlin on the JVM (scripts/test-android-demo.sh)"
bash scripts/test-android-demo.sh 2>&1 | tee -a "$log"

# One closing line for the whole run: cargo prints "test result: ok. N passed; N failed; N ignored"
# per test binary, the Kotlin and Swift runners "[name: ]N passed, N failed[, N skipped]".
awk '/^test result:/ { passed += $4; failed += $6; skipped += $8; next }
     /^([a-z-]+: )?[0-9]+ passed, [0-9]+ failed/ {
         for (i = 1; i <= NF; i++) {
             if ($(i + 1) ~ /^passed/) passed += $i
             if ($(i + 1) ~ /^failed/) failed += $i
             if ($(i + 1) ~ /^skipped/) skipped += $i
         }
     }
     END { printf "\ntotal: %d passed, %d failed, %d skipped\n", passed, failed, skipped }' "$log"
