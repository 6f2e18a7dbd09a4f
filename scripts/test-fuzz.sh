#!/usr/bin/env bash
# Fuzzing (issue 14): builds the cargo-fuzz (libFuzzer) targets in fuzz/ and runs each one for a
# bounded time on the corpus committed in fuzz/corpus/<target>/. Targets and their properties:
# docs/fuzzing.md. Exits non-zero if any target finds a crash (a panic, a failed property, or a
# sanitizer report), and prints where the crashing input was saved.
#
#   scripts/test-fuzz.sh          # 20 s per target (4 targets), after the build
#   scripts/test-fuzz.sh 600      # 10 minutes per target
#   TENG_FUZZ_TARGETS="csv_import" scripts/test-fuzz.sh 60   # one target
#
# Prints "fuzz: N passed, N failed" (targets) as its closing line.
#
# cargo-fuzz is installed from crates.io once, into a cache outside the clone. The fuzz build has
# its own target dir there too (sanitizer and coverage flags would otherwise rebuild the main
# workspace's artifacts), so every clone on a machine (CI's among them) shares one warm build.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS

seconds="${1:-20}"
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || ((seconds < 1)); then
    echo "usage: scripts/test-fuzz.sh [SECONDS per target]" >&2
    exit 2
fi
read -r -a targets <<<"${TENG_FUZZ_TARGETS:-pull_page push_batch search_fold csv_import}"

CARGO_FUZZ_VERSION=0.13.2
cache="${TENG_FUZZ_CACHE:-${XDG_CACHE_HOME:-${HOME:-/var/cache}/.cache}/teng/fuzz}"
tool="$cache/cargo-fuzz-$CARGO_FUZZ_VERSION"
if ! "$tool/bin/cargo-fuzz" --version 2>/dev/null | grep -qx "cargo-fuzz $CARGO_FUZZ_VERSION"; then
    echo "test-fuzz.sh: installing cargo-fuzz $CARGO_FUZZ_VERSION into $tool" >&2
    cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked --root "$tool"
fi
export PATH="$tool/bin:$PATH"
target_dir="${TENG_FUZZ_TARGET_DIR:-$cache/target}"

# cargo-fuzz builds with nightly-only flags (-Zsanitizer=address, and cargo's own -Z options). The
# project's toolchain is stable Rust and no nightly can be installed here, so RUSTC_BOOTSTRAP=1
# lets this stable rustc and cargo accept them. It is set for this script's builds only, never
# for the main workspace, and changes nothing else about the compiler.
export RUSTC_BOOTSTRAP=1

# AddressSanitizer needs its runtime, which rustup ships in the std component for
# x86_64-unknown-linux-gnu (librustc-*_rt.asan.a); without it, fuzz with no sanitizer (panics and
# failed properties are still found; memory errors in C code such as SQLite are not).
host="$(rustc -vV | sed -n 's/^host: //p')"
if compgen -G "$(rustc --print sysroot)/lib/rustlib/$host/lib/librustc-*_rt.asan.a" >/dev/null; then
    sanitizer=address
else
    sanitizer=none
    echo "test-fuzz.sh: no AddressSanitizer runtime for $host in this toolchain;" \
        "fuzzing with --sanitizer none" >&2
fi
fuzz=(--sanitizer "$sanitizer" --target-dir "$target_dir")

build_start=$SECONDS
echo "test-fuzz.sh: building ${targets[*]} (sanitizer: $sanitizer, target dir: $target_dir)" >&2
if [[ -z "${TENG_FUZZ_TARGETS:-}" ]]; then
    cargo fuzz build "${fuzz[@]}" # every target, in one cargo run
else
    for t in "${targets[@]}"; do
        cargo fuzz build "${fuzz[@]}" "$t"
    done
fi
echo "test-fuzz.sh: built in $((SECONDS - build_start)) s" >&2

# The committed corpus is copied, so a run adds its new inputs to the copy, not to the repository.
# TMPDIR: the targets' temporary SQLite files (a static catalogue is never dropped) go there too.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export TMPDIR="$work/tmp"
mkdir -p "$TMPDIR"

passed=0
failed=0
crashes=()
for t in "${targets[@]}"; do
    mkdir -p "$work/corpus/$t"
    cp -R "fuzz/corpus/$t/." "$work/corpus/$t/"
    echo "test-fuzz.sh: fuzzing $t for $seconds s" >&2
    before="$(find "fuzz/artifacts/$t" -type f 2>/dev/null | sort || true)"
    if cargo fuzz run "${fuzz[@]}" "$t" "$work/corpus/$t" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        >"$work/$t.log" 2>&1; then
        passed=$((passed + 1))
        grep -E '^(Done|stat::number_of_executed_units|stat::new_units_added)' "$work/$t.log" |
            sed "s/^/  $t: /" >&2 || true
        echo "  $t: corpus $(find "fuzz/corpus/$t" -type f | wc -l) committed," \
            "$(find "$work/corpus/$t" -type f | wc -l) after the run" >&2
    else
        failed=$((failed + 1))
        tail -n 60 "$work/$t.log" >&2
        new="$(comm -13 <(echo "$before") <(find "fuzz/artifacts/$t" -type f 2>/dev/null | sort))"
        crashes+=("$t: ${new:-see the log above}")
    fi
done

echo "test-fuzz.sh: done in $((SECONDS - start)) s" >&2
if ((failed > 0)); then
    echo "test-fuzz.sh: crashing inputs (reproduce with: RUSTC_BOOTSTRAP=1 cargo fuzz run" \
        "--sanitizer $sanitizer TARGET FILE; see docs/fuzzing.md to keep one as a regression):" >&2
    printf '  %s\n' "${crashes[@]}" >&2
fi
echo "fuzz: $passed passed, $failed failed"
((failed == 0))
