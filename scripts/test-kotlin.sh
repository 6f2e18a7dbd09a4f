#!/usr/bin/env bash
# Kotlin bindings tests: builds teng-ffi for this machine, generates the Kotlin bindings, compiles
# them with the JUnit 4 tests in ffi/tests/kotlin and runs them on the JVM, JNA loading the built
# library. Prints one line per test and closes with "N passed, N failed"; exits non-zero on failure.
#
#   scripts/test-kotlin.sh                          # dev build of the library
#   TENG_FFI_PROFILE=release-ffi scripts/test-kotlin.sh   # against the size-tuned build
#
# The compiled tests are cached in target/kotlin-tests and rebuilt only when the generated
# bindings or the test sources change (kotlinc takes most of a cold run; C1-only JIT, see
# DEVELOPERS.md).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS

# shellcheck source=scripts/toolchain/kotlin.sh
source scripts/toolchain/kotlin.sh # exports KOTLINC, KOTLIN_TEST_CLASSPATH, JAVA

bindings_env="$(scripts/bindings.sh)"
TENG_FFI_LIB_DIR="$(sed -n 's/^TENG_FFI_LIB_DIR=//p' <<<"$bindings_env")"
TENG_BINDINGS_DIR="$(sed -n 's/^TENG_BINDINGS_DIR=//p' <<<"$bindings_env")"

build="${CARGO_TARGET_DIR:-target}/kotlin-tests"
jar="$build/teng-kotlin-tests.jar"
mkdir -p "$build"
sources=("$TENG_BINDINGS_DIR/kotlin/kg/teng/core/teng.kt" ffi/tests/kotlin/*.kt)
key="$(cat "${sources[@]}" <(printf '%s\n' "$KOTLINC" "$KOTLIN_TEST_CLASSPATH") | sha256sum | cut -d' ' -f1)"
if [[ -f "$jar" && -f "$build/key" && "$(<"$build/key")" == "$key" ]]; then
    echo "test-kotlin.sh: tests unchanged, reusing $jar" >&2
else
    echo "test-kotlin.sh: kotlinc ${#sources[@]} files" >&2
    rm -f "$jar" "$build/key" "$jar.partial.jar"
    JAVACMD="$JAVA" "$KOTLINC" -J-XX:TieredStopAtLevel=1 -nowarn -cp "$KOTLIN_TEST_CLASSPATH" -d "$jar.partial.jar" "${sources[@]}"
    mv "$jar.partial.jar" "$jar"
    printf '%s\n' "$key" >"$build/key"
fi

# Sync tests talk to a real server on loopback (TENG_TEST_SERVER_URL), stopped when this script exits.
# shellcheck source=scripts/lib/test-server.sh
source scripts/lib/test-server.sh
teng_test_server_start 300

status=0
"$JAVA" -Djna.library.path="$TENG_FFI_LIB_DIR" -cp "$KOTLIN_TEST_CLASSPATH:$jar" \
    kg.teng.core.test.RunTestsKt || status=$?
echo "test-kotlin.sh: $((SECONDS - start))s" >&2
exit "$status"
