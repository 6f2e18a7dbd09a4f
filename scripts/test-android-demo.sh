#!/usr/bin/env bash
# Tests of the Android demo's shared module (android-demo/shared): its repository, presenters and
# formatting, compiled with kotlinc against the generated Kotlin bindings and run as JUnit 4 tests
# on the JVM, with JNA loading the host-built libteng_ffi and a real teng-server on 127.0.0.1
# (started, stopped and restarted by the tests themselves).
#
#   scripts/test-android-demo.sh
#
# Prints one line per test and closes with "android-demo: N passed, N failed"; exits non-zero on
# failure. Idempotent: the toolchain is installed once (scripts/toolchain/kotlin.sh), and the
# compiled jar is reused while the bindings and the sources are unchanged (target/android-demo).
# The Android UI module (android-demo/app) needs the Android SDK and is not compiled here; see
# android-demo/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

# shellcheck source=toolchain/kotlin.sh
source scripts/toolchain/kotlin.sh # exports KOTLINC, KOTLIN_TEST_CLASSPATH, JAVA

bindings_env="$(scripts/bindings.sh)"
TENG_FFI_LIB_DIR="$(sed -n 's/^TENG_FFI_LIB_DIR=//p' <<<"$bindings_env")"
TENG_BINDINGS_DIR="$(sed -n 's/^TENG_BINDINGS_DIR=//p' <<<"$bindings_env")"
cargo build --locked -p teng-server >&2
server_bin="$(cd "${CARGO_TARGET_DIR:-target}/debug" && pwd)/teng-server"
[[ -x "$server_bin" ]] || { echo "test-android-demo.sh: $server_bin was not built" >&2; exit 1; }

build="target/android-demo"
jar="$build/android-demo-shared-tests.jar"
mkdir -p "$build"
mapfile -t sources < <(printf '%s\n' "$TENG_BINDINGS_DIR/kotlin/kg/teng/core/teng.kt";
    find android-demo/shared/src/main android-demo/shared/src/test -name '*.kt' | LC_ALL=C sort)
# The Gradle build uses Kotlin 2.1: compile as 2.1 so nothing newer slips into the shared code.
kotlinc_flags=(-J-XX:TieredStopAtLevel=1 -nowarn -language-version 2.1 -api-version 2.1 -jvm-target 17)
key="$( { printf '%s\n' "${sources[@]}" "$KOTLINC" "$KOTLIN_TEST_CLASSPATH" "${kotlinc_flags[*]}"; cat "${sources[@]}"; } \
    | sha256sum | cut -d' ' -f1)"
if [[ -f "$jar" && -f "$build/key" && "$(<"$build/key")" == "$key" ]]; then
    echo "test-android-demo.sh: sources unchanged, reusing $jar" >&2
else
    echo "test-android-demo.sh: kotlinc ${#sources[@]} files" >&2
    rm -f "$jar" "$build/key" "$jar.partial.jar"
    compile_start=$SECONDS
    JAVACMD="$JAVA" "$KOTLINC" "${kotlinc_flags[@]}" -cp "$KOTLIN_TEST_CLASSPATH" -d "$jar.partial.jar" "${sources[@]}" 2>&1 \
        | grep -v '^warning: language version 2.1 is deprecated' >&2 || true
    [[ -f "$jar.partial.jar" ]] || { echo "test-android-demo.sh: kotlinc failed" >&2; exit 1; }
    mv "$jar.partial.jar" "$jar"
    printf '%s\n' "$key" >"$build/key"
    echo "test-android-demo.sh: kotlinc took $((SECONDS - compile_start))s" >&2
fi

# The tests record the pid of every teng-server they start; whatever happens to the JVM, the
# servers it left are stopped here (only ours: the pid must still be a teng-server).
pids="$build/server.pids"
: >"$pids"
stop_servers() {
    local pid
    while read -r pid; do
        [[ -n "$pid" ]] || continue
        if grep -qa teng-server "/proc/$pid/cmdline" 2>/dev/null; then
            kill "$pid" 2>/dev/null || true
        fi
    done <"$pids"
}
trap stop_servers EXIT

log="$build/last-run.log"
status=0
"$JAVA" -Djna.library.path="$TENG_FFI_LIB_DIR" -Dteng.server.bin="$server_bin" \
    -Dteng.android.dir="$PWD/android-demo" -Dteng.test.pids="$PWD/$pids" \
    -cp "$KOTLIN_TEST_CLASSPATH:$jar" kg.teng.shared.AllTestsKt | tee "$log" || status=$?
if ! grep -q '^android-demo: [0-9]* passed, [0-9]* failed$' "$log"; then
    # The JVM died before JUnit could report (a crash in native code, a missing library).
    echo "android-demo: 0 passed, 1 failed"
    status=1
fi
echo "test-android-demo.sh: $((SECONDS - start))s" >&2
exit "$status"
