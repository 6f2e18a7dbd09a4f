#!/usr/bin/env bash
# Kotlin/JVM toolchain for compiling and running the UniFFI Kotlin bindings tests.
#
#   source scripts/toolchain/kotlin.sh   # installs what is missing, then exports
#                                        #   KOTLINC, KOTLIN_TEST_CLASSPATH, JAVA
#   bash scripts/toolchain/kotlin.sh     # the same, and prints the values
#
# Sourcing never changes the caller's shell options; the install itself runs in a child bash with
# `set -euo pipefail`, so it is strict even when the caller is not. A failed install makes `source`
# return non-zero (with `set -e` in the caller, that stops the caller).
#
# Where things come from, given that the network reaches only the package registries:
#   kotlinc, kotlin-stdlib, kotlin-test, kotlin-test-junit, kotlinx-coroutines-core-jvm:
#       npm package kotlin-compiler (a repackaged JetBrains compiler distribution), in the repo's
#       .cache/toolchains/kotlin
#   JNA, JUnit 4, Hamcrest: Debian packages libjna-java, junit4, libhamcrest-java (/usr/share/java)
#   java: the machine's JDK; Debian's default-jre-headless is installed if there is none.
# See DEVELOPERS.md for the compile/run commands that were verified with this.

TENG_KOTLIN_VERSION=2.4.20
# Bump when the install steps change, so old caches are redone instead of trusted.
_TENG_KOTLIN_STAMP_KEY="kotlin-compiler@${TENG_KOTLIN_VERSION} layout=1"

_TENG_KOTLIN_SH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
TENG_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TENG_KOTLIN_DIR="${TENG_TOOLCHAINS_DIR:-$TENG_REPO_ROOT/.cache/toolchains}/kotlin"
TENG_KOTLIN_HOME="$TENG_KOTLIN_DIR/node_modules/kotlin-compiler"

# Debian's jars, by their unversioned symlinks so a Debian point release does not break the path.
_TENG_KOTLIN_SYSTEM_JARS=(/usr/share/java/jna.jar /usr/share/java/junit4.jar /usr/share/java/hamcrest.jar)
_TENG_KOTLIN_APT_PACKAGES=(libjna-java junit4 libhamcrest-java)

_teng_kotlin_java() {
    if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
        printf '%s\n' "$JAVA_HOME/bin/java"
    else
        command -v java
    fi
}

# One jar per line, in classpath order.
_teng_kotlin_jars() {
    local lib="$TENG_KOTLIN_HOME/lib"
    printf '%s\n' "$lib/kotlin-stdlib.jar" "$lib/kotlin-test.jar" "$lib/kotlin-test-junit.jar" \
        "$lib/kotlinx-coroutines-core-jvm.jar" "${_TENG_KOTLIN_SYSTEM_JARS[@]}"
}

_teng_kotlin_classpath() {
    local jars
    mapfile -t jars < <(_teng_kotlin_jars)
    local IFS=:
    printf '%s\n' "${jars[*]}"
}

# Prints the jars that are not there (nothing when all are).
_teng_kotlin_missing_jars() {
    local jar
    while IFS= read -r jar; do [[ -f "$jar" ]] || printf '%s\n' "$jar"; done < <(_teng_kotlin_jars)
}

# Fast path: only file tests and one `command -v`, so sourcing a warm cache costs milliseconds.
_teng_kotlin_ready() {
    [[ -f "$TENG_KOTLIN_DIR/.stamp" && "$(<"$TENG_KOTLIN_DIR/.stamp")" == "$_TENG_KOTLIN_STAMP_KEY" ]] || return 1
    [[ -x "$TENG_KOTLIN_HOME/bin/kotlinc" ]] || return 1
    _teng_kotlin_java >/dev/null || return 1
    # The Debian jars live outside the cache: a new machine with a copied cache still needs apt.
    [[ -z "$(_teng_kotlin_missing_jars)" ]]
}

_teng_kotlin_die() { printf 'scripts/toolchain/kotlin.sh: error: %s\n' "$*" >&2; exit 1; }

# Runs under `set -euo pipefail` (direct-run path only).
_teng_kotlin_install() {
    local missing=() pkg log
    log="$(mktemp)"
    # shellcheck disable=SC2064  # expand now: $log is local
    trap "rm -f '$log'" EXIT

    for pkg in "${_TENG_KOTLIN_APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null | grep -q '^ii' || missing+=("$pkg")
    done
    _teng_kotlin_java >/dev/null || missing+=(default-jre-headless)
    command -v npm >/dev/null || missing+=(npm)
    if ((${#missing[@]})); then
        [[ "$(id -u)" == 0 ]] || _teng_kotlin_die "need root to apt-get install ${missing[*]}"
        echo "kotlin.sh: apt-get install ${missing[*]}" >&2
        # A fresh machine may have no package lists yet, so update before installing.
        if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
            cat "$log" >&2
            _teng_kotlin_die "apt-get install ${missing[*]} failed"
        fi
    fi
    for pkg in "${_TENG_KOTLIN_SYSTEM_JARS[@]}"; do
        [[ -f "$pkg" ]] || _teng_kotlin_die "$pkg is missing although ${_TENG_KOTLIN_APT_PACKAGES[*]} are installed"
    done
    _teng_kotlin_java >/dev/null || _teng_kotlin_die "no java on PATH (nor JAVA_HOME) after installing a JRE"

    # Start from an empty folder: a half-finished npm install is not worth repairing.
    rm -rf "$TENG_KOTLIN_DIR"
    mkdir -p "$TENG_KOTLIN_DIR"
    echo "kotlin.sh: npm install kotlin-compiler@$TENG_KOTLIN_VERSION into $TENG_KOTLIN_DIR" >&2
    if ! npm install --prefix "$TENG_KOTLIN_DIR" --no-audit --no-fund --loglevel=error \
        "kotlin-compiler@$TENG_KOTLIN_VERSION" >"$log" 2>&1; then
        cat "$log" >&2
        _teng_kotlin_die "npm install kotlin-compiler@$TENG_KOTLIN_VERSION failed"
    fi

    local missing_jars
    missing_jars="$(_teng_kotlin_missing_jars)"
    [[ -z "$missing_jars" ]] ||
        _teng_kotlin_die "expected jars not found (did the npm package layout change?): $missing_jars"
    [[ -x "$TENG_KOTLIN_HOME/bin/kotlinc" ]] || _teng_kotlin_die "no kotlinc launcher in $TENG_KOTLIN_HOME/bin"
    # Proves the launcher works with this JVM before the cache is trusted.
    JAVACMD="$(_teng_kotlin_java)" "$TENG_KOTLIN_HOME/bin/kotlinc" -version >"$log" 2>&1 ||
        { cat "$log" >&2; _teng_kotlin_die "kotlinc -version failed"; }

    printf '%s\n' "$_TENG_KOTLIN_STAMP_KEY" >"$TENG_KOTLIN_DIR/.stamp"
}

_teng_kotlin_export() {
    export JAVA KOTLINC KOTLIN_TEST_CLASSPATH
    JAVA="$(_teng_kotlin_java)"
    KOTLINC="$TENG_KOTLIN_HOME/bin/kotlinc"
    KOTLIN_TEST_CLASSPATH="$(_teng_kotlin_classpath)"
}

# For sourcing callers: installs through a child bash (strict mode there, not here), then exports.
teng_kotlin_ensure() {
    if ! _teng_kotlin_ready; then
        "${BASH:-bash}" "$_TENG_KOTLIN_SH" >&2 || {
            printf 'scripts/toolchain/kotlin.sh: error: Kotlin toolchain install failed\n' >&2
            return 1
        }
        _teng_kotlin_ready || {
            printf 'scripts/toolchain/kotlin.sh: error: install finished but the toolchain is incomplete\n' >&2
            return 1
        }
    fi
    _teng_kotlin_export
}

_teng_kotlin_main() {
    set -euo pipefail
    if ! _teng_kotlin_ready; then
        local start=$SECONDS
        mkdir -p "$(dirname "$TENG_KOTLIN_DIR")"
        # Concurrent first calls (e.g. parallel tests) would otherwise delete each other's install;
        # the one that waited finds the stamp and does nothing.
        exec 9>"$(dirname "$TENG_KOTLIN_DIR")/.kotlin.lock"
        flock 9
        if ! _teng_kotlin_ready; then
            _teng_kotlin_install
            _teng_kotlin_ready || _teng_kotlin_die "install finished but the toolchain is incomplete"
            echo "kotlin.sh: installed in $((SECONDS - start))s" >&2
        fi
        exec 9>&-
    fi
    _teng_kotlin_export
    printf 'KOTLINC=%s\nKOTLIN_TEST_CLASSPATH=%s\nJAVA=%s\n' "$KOTLINC" "$KOTLIN_TEST_CLASSPATH" "$JAVA"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    _teng_kotlin_main "$@"
else
    teng_kotlin_ensure
fi
