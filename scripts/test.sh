#!/usr/bin/env bash
# Runs every check and test of the project: formatting, lints, and all Rust tests (unit, integration,
# end-to-end). This is the README's test command and what CI runs (.ci/run calls exactly this).
# Toolchains that a step needs are installed by that step's own script, idempotently.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

step() { printf '\n==> %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (all targets, warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo test (workspace)"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
cargo test --workspace --locked 2>&1 | tee "$log"

# One closing line for the whole run (cargo prints one per test binary, the last often a doc-test
# binary with nothing in it).
awk '/^test result:/ { passed += $4; failed += $6; ignored += $8 }
     END { printf "\ntotal: %d passed, %d failed, %d skipped\n", passed, failed, ignored }' "$log"
