#!/usr/bin/env bash
# Packages teng-ffi for Android: a library module source tree an app's Gradle build includes as it
# is (ffi/README.md, "Android").
#
#   scripts/package-android.sh                 # → target/ffi-package/android (under $CARGO_TARGET_DIR when set)
#   scripts/package-android.sh --out DIR       # → DIR/android
#   scripts/package-android.sh --kotlin-only   # skip the native libraries
#   scripts/package-android.sh --check         # package into a temporary folder and verify it (below)
#
# The module:
#   android/build.gradle.kts                          com.android.library; JNA as an AAR; minSdk 24
#   android/consumer-rules.pro                        R8/ProGuard keep rules for JNA and the bindings
#   android/src/main/AndroidManifest.xml
#   android/src/main/kotlin/kg/teng/core/teng.kt      generated with android = true (ffi/uniffi-android.toml)
#   android/src/main/jniLibs/<abi>/libteng_ffi.so     arm64-v8a, armeabi-v7a, x86_64, x86: cargo-ndk,
#                                                     release-ffi profile
# The Kotlin is generated from this machine's build of the library (the interface is the same on
# every target). The native libraries need cargo-ndk, the four Rust Android targets and an NDK;
# without them the script lays out the rest, prints what to install and the one command to run,
# and says TENG_ANDROID_NATIVE=missing on its last line (exit status 0 all the same).
# Every run rewrites DIR/android whole, so a library from an older build never sits beside newer
# bindings (UniFFI's Kotlin compares their checksums only in uniffiEnsureInitialized()).
#
# --check (what can run without an Android SDK): packages with --kotlin-only into a temporary
# folder, checks the layout and the Gradle file, checks that the Kotlin is the Android flavour and
# that the JVM tests' generation is not; then compiles the Android teng.kt with stubs of the three
# Android classes it names and runs a smoke test on the JVM against the host library, once as
# API 23 (JNA's cleaner) and once as API 34 (the SystemCleaner branch), checksums checked first.
# Prints "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

# The four Android ABIs and their Rust targets, in the same order.
ABIS=(arm64-v8a armeabi-v7a x86_64 x86)
TRIPLES=(aarch64-linux-android armv7-linux-androideabi x86_64-linux-android i686-linux-android)
# The module's minSdk; the native libraries are linked for the same API level.
MIN_SDK=24
JNA_VERSION=5.17.0

out="${CARGO_TARGET_DIR:-target}/ffi-package"
native=1
check=0
while (($#)); do
    case "$1" in
        --out) out="$2"; shift 2 ;;
        --kotlin-only) native=0; shift ;;
        --check) check=1; shift ;;
        -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1' "$0"; exit 0 ;;
        *) echo "package-android.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done

say() { printf 'package-android.sh: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

# shellcheck source=scripts/lib/ffi-host.sh
source scripts/lib/ffi-host.sh # teng_ffi_build_host: BINDGEN, METADATA, HOST_LIB_DIR
build_host() { teng_ffi_build_host || die "the host build of teng-ffi failed"; }

# generate_kotlin DIR [CONFIG]: the Kotlin bindings into DIR (kg/teng/core/teng.kt), with the
# options of ffi/uniffi.toml and, when given, the overrides of CONFIG.
generate_kotlin() {
    local dir=$1 config=${2:-}
    local args=(generate --library "$METADATA" --language kotlin --out-dir "$dir" --no-format --metadata-no-deps)
    [[ -n "$config" ]] && args+=(--config "$config")
    "$BINDGEN" "${args[@]}" >&2
    [[ -s "$dir/kg/teng/core/teng.kt" ]] || die "uniffi-bindgen did not write $dir/kg/teng/core/teng.kt"
}

write_module_files() {
    local module=$1
    mkdir -p "$module/src/main"
    cat >"$module/build.gradle.kts" <<EOF
// The Teng core for Android: the UniFFI Kotlin bindings of teng-ffi and libteng_ffi.so per ABI.
// Made by scripts/package-android.sh, which rewrites this whole folder: change the script, not
// this file. In the app's settings.gradle.kts:
//     include(":teng")
//     project(":teng").projectDir = file("<path of this folder>")
// and in the app module: dependencies { implementation(project(":teng")) }.
// Needs the Android Gradle plugin (8.x) and Kotlin 1.9 or newer (the bindings use enum entries).
plugins {
    id("com.android.library")
    id("org.jetbrains.kotlin.android")
}

android {
    namespace = "kg.teng.core"
    // At least 34: the bindings name Build.VERSION_CODES.UPSIDE_DOWN_CAKE and
    // android.system.SystemCleaner (used only on API 34 and later, checked at run time).
    compileSdk = 35

    defaultConfig {
        // $MIN_SDK (Android 7.0): JNA $JNA_VERSION, the first JNA whose libjnidispatch.so works on
        // 16 KB-page devices (which Google Play requires of apps targeting Android 15), fails on
        // Android 6 and older (JNA issue 1662). The NDK and Rust would go down to 21, and the
        // generated Kotlin needs nothing above 21. The .so files are linked for API $MIN_SDK too.
        minSdk = $MIN_SDK
        consumerProguardFiles("consumer-rules.pro")
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }

    // src/main/jniLibs/<abi>/libteng_ffi.so is picked up by default. No
    // packaging { jniLibs.useLegacyPackaging = true } needed: JNA loads the library with
    // System.loadLibrary first, which finds it uncompressed inside the APK (the default from
    // minSdk 23 on, smaller on the device) as well as extracted.
}

kotlin {
    jvmToolchain(17)
}

dependencies {
    // The bindings call the library through JNA. The AAR brings libjnidispatch.so for every ABI;
    // the plain jar has only desktop ones. "api": the generated code exposes JNA types.
    api("net.java.dev.jna:jna:$JNA_VERSION@aar")
    // @RequiresApi in the generated code.
    implementation("androidx.annotation:annotation:1.9.1")
    // Unit tests on the development machine (not on a device) need the jar instead, and a host
    // build of the library on jna.library.path: testImplementation("net.java.dev.jna:jna:$JNA_VERSION")
}
EOF
    cat >"$module/consumer-rules.pro" <<'EOF'
# Keep rules applied to any app that shrinks with R8 (made by scripts/package-android.sh).
# JNA finds native methods, structures and callbacks by reflection, and so do the generated
# bindings' Structure and Callback classes: renaming or removing them breaks the first call.
-keep class com.sun.jna.** { *; }
-keepclassmembers class * extends com.sun.jna.** { public *; }
-keep class kg.teng.core.** { *; }
# JNA refers to desktop classes that Android does not have.
-dontwarn java.awt.**
EOF
    cat >"$module/src/main/AndroidManifest.xml" <<'EOF'
<?xml version="1.0" encoding="utf-8"?>
<!-- The library needs no permission of its own: the app that syncs declares INTERNET. -->
<manifest />
EOF
}

# Prints the NDK folder cargo-ndk would use, if one can be found.
find_ndk() {
    local d
    for d in "${ANDROID_NDK_HOME:-}" "${ANDROID_NDK_ROOT:-}" "${ANDROID_NDK:-}"; do
        [[ -n "$d" && -d "$d" ]] && { printf '%s\n' "$d"; return 0; }
    done
    for d in "${ANDROID_HOME:-}" "${ANDROID_SDK_ROOT:-}" "$HOME/Android/Sdk" "$HOME/Library/Android/sdk"; do
        [[ -n "$d" && -d "$d/ndk" ]] || continue
        d="$(find "$d/ndk" -mindepth 1 -maxdepth 1 -type d | sort -V | tail -n 1)"
        [[ -n "$d" ]] && { printf '%s\n' "$d"; return 0; }
    done
    return 1
}

# build_native JNILIBS: fills JNILIBS/<abi>/libteng_ffi.so; returns 1, having said what is missing
# and what to run, when this machine cannot.
build_native() {
    local jnilibs=$1 missing=() targets=() t abi i
    local cmd=(cargo ndk --platform "$MIN_SDK")
    for abi in "${ABIS[@]}"; do cmd+=(-t "$abi"); done
    cmd+=(-o "$jnilibs" build --locked -p teng-ffi --profile release-ffi)

    cargo ndk --version >/dev/null 2>&1 || missing+=("cargo-ndk:         cargo install cargo-ndk")
    if command -v rustup >/dev/null; then
        local installed
        installed="$(rustup target list --installed)"
        for t in "${TRIPLES[@]}"; do grep -qx "$t" <<<"$installed" || targets+=("$t"); done
        ((${#targets[@]} == 0)) || missing+=("Rust targets:      rustup target add ${targets[*]}")
    else
        missing+=("Rust targets:      ${TRIPLES[*]} (rustup target add ...)")
    fi
    find_ndk >/dev/null || missing+=("Android NDK r28+:  Android Studio > SDK Manager > SDK Tools > NDK (Side by side),"
        "                   or sdkmanager --install \"ndk;<version from sdkmanager --list>\";"
        "                   then export ANDROID_NDK_HOME=<that folder> (r28 links 16 KB-aligned by default)")
    if ((${#missing[@]})); then
        say "native libraries NOT built: this machine lacks"
        printf '    %s\n' "${missing[@]}" >&2
        say "with those installed, run this script again, or from the repository root:"
        printf '    %s\n' "${cmd[*]}" >&2
        return 1
    fi

    say "${cmd[*]}"
    ANDROID_NDK_HOME="$(find_ndk)" "${cmd[@]}" >&2
    for i in "${!ABIS[@]}"; do
        local so="$jnilibs/${ABIS[$i]}/libteng_ffi.so"
        [[ -s "$so" ]] || die "cargo ndk did not leave $so"
        # 16 KB pages (Android 15+ devices): the 64-bit libraries' LOAD segments must be aligned
        # to at least 0x4000. NDK r28 and later do it; an older NDK needs
        # -C link-arg=-Wl,-z,max-page-size=16384.
        if [[ "${ABIS[$i]}" == arm64-v8a || "${ABIS[$i]}" == x86_64 ]] && command -v readelf >/dev/null; then
            local align
            align="$(readelf -lW "$so" | awk '$1 == "LOAD" { print $NF; exit }')"
            if ((align < 0x4000)); then
                say "warning: $so is aligned to $align, not 16 KB: use NDK r28 or newer"
            fi
        fi
    done
}

# package OUT NATIVE: lays out OUT/android; prints the two result lines.
package() {
    local out=$1 want_native=$2
    local module="$out/android"
    if [[ -e "$module" && ! -f "$module/.teng-package" ]]; then
        die "$module exists and was not made by this script; choose another --out"
    fi
    rm -rf "$module"
    mkdir -p "$module"
    : >"$module/.teng-package"
    write_module_files "$module"

    generate_kotlin "$module/src/main/kotlin" ffi/uniffi-android.toml
    # --config ignores a file it does not understand with only a warning: make sure it worked.
    grep -q '^import android.os.Build$' "$module/src/main/kotlin/kg/teng/core/teng.kt" ||
        die "the Kotlin was generated without android = true: is ffi/uniffi-android.toml in UniFFI's --config form?"

    local status=missing
    if ((want_native)); then
        build_native "$module/src/main/jniLibs" && status=built
    else
        say "native libraries skipped (--kotlin-only)"
    fi
    printf 'TENG_ANDROID_MODULE=%s\nTENG_ANDROID_NATIVE=%s\n' "$(cd "$module" && pwd)" "$status"
}

# --- --check ------------------------------------------------------------------------------------

# Just enough of the Android API for the generated teng.kt to compile and run on a JVM:
# android.os.Build (SDK_INT from the teng.stub.sdk system property), android.system.SystemCleaner
# (backed by java.lang.ref.Cleaner, counting its use), androidx.annotation.RequiresApi.
write_stubs() {
    local dir=$1
    cat >"$dir/AndroidStubs.kt" <<'EOF'
@file:Suppress("unused")
package android.os

object Build {
    object VERSION {
        @JvmField val SDK_INT: Int = Integer.getInteger("teng.stub.sdk", 23)
    }
    object VERSION_CODES {
        const val UPSIDE_DOWN_CAKE: Int = 34
    }
}
EOF
    cat >"$dir/SystemCleanerStub.kt" <<'EOF'
package android.system

object SystemCleaner {
    @JvmField var used = 0
    private val cleaner = java.lang.ref.Cleaner.create()
    fun cleaner(): java.lang.ref.Cleaner { used++; return cleaner }
}
EOF
    cat >"$dir/RequiresApiStub.kt" <<'EOF'
package androidx.annotation

annotation class RequiresApi(val value: Int)
EOF
    cat >"$dir/Smoke.kt" <<'EOF'
package kg.teng.check

import kg.teng.core.Language
import kg.teng.core.SearchQuery
import kg.teng.core.TengStore

// Checks the checksums, opens a store, seeds it, searches, frees the objects; prints what the
// cleaner was.
fun main(args: Array<String>) {
    kg.teng.core.uniffiEnsureInitialized() // throws if the bindings and the library disagree
    val hits = TengStore.open(args[0], Language.RU).use { store ->
        store.seedDemoData(200u, 7uL)
        store.search(SearchQuery(text = "bishkek")).hits.size
    }
    println("hits=$hits sdk=${android.os.Build.VERSION.SDK_INT} system_cleaner=${android.system.SystemCleaner.used}")
}
EOF
}

run_check() {
    local tmp passed=0 failed=0
    tmp="$(mktemp -d /tmp/teng-package-android.XXXXXX)"
    # shellcheck disable=SC2064 # expand now
    trap "rm -rf '$tmp'" EXIT
    ok() { printf 'ok      %s\n' "$1"; passed=$((passed + 1)); }
    bad() { printf 'FAILED  %s\n' "$1"; failed=$((failed + 1)); }
    expect() { local name=$1; shift; if "$@" >/dev/null 2>&1; then ok "$name"; else bad "$name"; fi; }

    build_host
    local result module kt
    result="$(package "$tmp/out" 0)"
    module="$(sed -n 's/^TENG_ANDROID_MODULE=//p' <<<"$result")"
    kt="$module/src/main/kotlin/kg/teng/core/teng.kt"

    local f
    for f in build.gradle.kts consumer-rules.pro src/main/AndroidManifest.xml src/main/kotlin/kg/teng/core/teng.kt; do
        expect "layout: $f" test -s "$module/$f"
    done
    expect "layout: no jniLibs with --kotlin-only" test ! -e "$module/src/main/jniLibs"
    expect "result line says the native part is missing" grep -qx 'TENG_ANDROID_NATIVE=missing' <<<"$result"
    expect "Kotlin: package kg.teng.core" grep -qx 'package kg.teng.core' "$kt"
    expect "Kotlin: Android flavour (android.os.Build, SystemCleaner)" \
        grep -q 'android.system.SystemCleaner.cleaner()' "$kt"
    expect "Kotlin: no JVM-only java.lang.ref.Cleaner fallback" bash -c "! grep -q 'JavaLangRefCleaner' '$kt'"
    expect "Gradle: JNA as an AAR" grep -q "api(\"net.java.dev.jna:jna:$JNA_VERSION@aar\")" "$module/build.gradle.kts"
    expect "Gradle: minSdk $MIN_SDK, compileSdk 35" \
        bash -c "grep -q 'minSdk = $MIN_SDK' '$module/build.gradle.kts' && grep -q 'compileSdk = 35' '$module/build.gradle.kts'"
    expect "Gradle: androidx.annotation for @RequiresApi" grep -q 'androidx.annotation:annotation' "$module/build.gradle.kts"
    expect "Gradle: consumer keep rules wired" grep -q 'consumerProguardFiles("consumer-rules.pro")' "$module/build.gradle.kts"

    # The JVM tests' generation (what scripts/bindings.sh runs: no --config) stays the JVM flavour.
    generate_kotlin "$tmp/jvm"
    expect "JVM generation unchanged: no android imports" bash -c "! grep -q '^import android' '$tmp/jvm/kg/teng/core/teng.kt'"
    expect "JVM generation unchanged: java.lang.ref.Cleaner" grep -q 'JavaLangRefCleaner' "$tmp/jvm/kg/teng/core/teng.kt"
    # Apart from the cleaner, the two are the same file: same public declarations.
    decls() { grep -E '^(public |internal |open |data |enum |sealed )*(class|object|interface|fun) ' "$1" | grep -v -i 'cleaner\|cleanable' | sort; }
    decls "$kt" >"$tmp/decls-android"
    decls "$tmp/jvm/kg/teng/core/teng.kt" >"$tmp/decls-jvm"
    same_api() { (($(wc -l <"$tmp/decls-android") > 100)) && diff -q "$tmp/decls-android" "$tmp/decls-jvm"; }
    expect "Android and JVM bindings declare the same API (over 100 declarations)" same_api

    # Compile the Android flavour against stubs and run it on the JVM.
    # shellcheck source=scripts/toolchain/kotlin.sh
    source scripts/toolchain/kotlin.sh # exports KOTLINC, KOTLIN_TEST_CLASSPATH, JAVA
    mkdir -p "$tmp/stubs"
    write_stubs "$tmp/stubs"
    say "kotlinc: the Android teng.kt with stubs of android.os.Build, android.system.SystemCleaner, androidx.annotation.RequiresApi"
    if JAVACMD="$JAVA" "$KOTLINC" -J-XX:TieredStopAtLevel=1 -nowarn -cp "$KOTLIN_TEST_CLASSPATH" \
        -d "$tmp/check.jar" "$kt" "$tmp"/stubs/*.kt >&2; then
        ok "Android teng.kt compiles (with stubs of the 3 Android classes it names)"
        local sdk line
        for sdk in 23 34; do
            line="$("$JAVA" -Dteng.stub.sdk="$sdk" -Djna.library.path="$HOST_LIB_DIR" \
                -cp "$tmp/check.jar:$KOTLIN_TEST_CLASSPATH" kg.teng.check.SmokeKt "$tmp/smoke-$sdk.db" 2>&1)" || true
            printf '        %s\n' "$line"
            if [[ "$sdk" == 23 ]]; then
                expect "runs as API 23: checksums, store, seed, search, free; JNA's cleaner" grep -q 'hits=20 sdk=23 system_cleaner=0' <<<"$line"
            else
                expect "runs as API 34: checksums, store, seed, search, free; SystemCleaner" grep -q 'hits=20 sdk=34 system_cleaner=1' <<<"$line"
            fi
        done
    else
        bad "Android teng.kt compiles (with stubs of the 3 Android classes it names)"
    fi

    echo "package-android: $passed passed, $failed failed"
    ((failed == 0))
}

if ((check)); then
    run_check
else
    build_host
    package "$out" "$native"
fi
