#!/usr/bin/env bash
# Packages teng-ffi for iOS: a Swift package an app adds as a local package (ffi/README.md, "iOS").
#
#   scripts/package-swift.sh               # → target/ffi-package/TengSwift (under $CARGO_TARGET_DIR when set)
#   scripts/package-swift.sh --out DIR     # → DIR/TengSwift and DIR/TengFFI-headers
#   scripts/package-swift.sh --check       # package into a temporary folder and verify it (below)
#
# The package:
#   TengSwift/Package.swift              library product "Teng": target Teng (the generated Swift)
#                                        on top of the binary target TengFFI (the XCFramework)
#   TengSwift/Sources/Teng/Teng.swift    the generated bindings (`import Teng` in the app)
#   TengSwift/TengFFI.xcframework        libteng_ffi.a for iOS devices (arm64) and the simulator
#                                        (arm64 + x86_64, one lipo'd archive), each slice with the
#                                        C header and module map; built on macOS only
#   TengFFI-headers/TengFFI/             TengFFI.h + module.modulemap (`module TengFFI`), the
#                                        -headers given to xcodebuild; a folder named after the
#                                        module, so two XCFrameworks' module maps never collide
#
# The XCFramework needs macOS with Xcode (xcodebuild, lipo, the iOS SDKs) and the Rust targets
# aarch64-apple-ios, aarch64-apple-ios-sim, x86_64-apple-ios. Elsewhere the script lays out the
# sources, says what it skipped, and its last line reads TENG_SWIFT_XCFRAMEWORK=missing (exit
# status 0 all the same).
#
# --check (Linux, root: it uses the Swift chroot of scripts/toolchain/swift.sh): packages into a
# temporary folder, checks the layout, runs `swift package dump-package` on Package.swift and checks
# its targets and product, then compiles Sources/Teng/Teng.swift as module Teng against the
# TengFFI-headers folder and the host library, and runs a small program that imports Teng (open a
# store, seed, search). Prints "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

IOS_TARGETS=(aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios)
# Package.swift's platforms and the deployment target the Rust and C code are compiled for.
IOS_MIN=13.0

out="${CARGO_TARGET_DIR:-target}/ffi-package"
check=0
while (($#)); do
    case "$1" in
        --out) out="$2"; shift 2 ;;
        --check) check=1; shift ;;
        -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1' "$0"; exit 0 ;;
        *) echo "package-swift.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done

say() { printf 'package-swift.sh: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

# shellcheck source=scripts/lib/ffi-host.sh
source scripts/lib/ffi-host.sh # teng_ffi_build_host: BINDGEN, METADATA, HOST_LIB_DIR
build_host() { teng_ffi_build_host || die "the host build of teng-ffi failed"; }

write_package_swift() {
    cat >"$1/Package.swift" <<EOF
// swift-tools-version:5.9
// The Teng core for iOS: teng-ffi's generated Swift bindings over libteng_ffi.a. Made by
// scripts/package-swift.sh, which rewrites this folder: change the script, not this file.
// In Xcode: File > Add Package Dependencies > Add Local..., then \`import Teng\`.
import PackageDescription

let package = Package(
    name: "TengSwift",
    // iOS ${IOS_MIN%.0}: the deployment target libteng_ffi.a is compiled for (IPHONEOS_DEPLOYMENT_TARGET
    // in scripts/package-swift.sh); nothing in the bindings needs a newer iOS. Change both together.
    platforms: [.iOS(.v${IOS_MIN%.0})],
    products: [
        .library(name: "Teng", targets: ["Teng"]),
    ],
    targets: [
        // libteng_ffi.a (Rust, static) for devices and the simulator, with TengFFI.h and the
        // module map of the C module TengFFI that Teng.swift imports.
        .binaryTarget(name: "TengFFI", path: "TengFFI.xcframework"),
        .target(
            name: "Teng",
            dependencies: ["TengFFI"],
            path: "Sources/Teng",
            // The library reads the device's time zone through CoreFoundation (chrono's
            // iana-time-zone); Foundation links it already, this says so.
            linkerSettings: [.linkedFramework("CoreFoundation")]
        ),
    ]
)
EOF
}

# build_xcframework PACKAGE HEADERS: PACKAGE/TengFFI.xcframework; returns 1, having said why,
# where that cannot be done.
build_xcframework() {
    local package=$1 headers=$2
    if [[ "$(uname -s)" != Darwin ]]; then
        say "TengFFI.xcframework NOT built: it needs macOS with Xcode (xcodebuild, lipo, the iOS SDKs);"
        say "this is $(uname -s). The package sources are laid out; on a Mac, run this script again."
        return 1
    fi
    local missing=() targets=() t
    command -v xcodebuild >/dev/null || missing+=("Xcode:        xcode-select --install is not enough; install Xcode, then sudo xcode-select -s /Applications/Xcode.app")
    command -v lipo >/dev/null || missing+=("lipo:         comes with Xcode's command line tools")
    if command -v rustup >/dev/null; then
        local installed
        installed="$(rustup target list --installed)"
        for t in "${IOS_TARGETS[@]}"; do grep -qx "$t" <<<"$installed" || targets+=("$t"); done
        ((${#targets[@]} == 0)) || missing+=("Rust targets: rustup target add ${targets[*]}")
    else
        missing+=("Rust targets: ${IOS_TARGETS[*]} (rustup target add ...)")
    fi
    if ((${#missing[@]})); then
        say "TengFFI.xcframework NOT built: this Mac lacks"
        printf '    %s\n' "${missing[@]}" >&2
        return 1
    fi

    # --- The XCFramework recipe (macOS). ---
    local target_dir="${CARGO_TARGET_DIR:-target}" sim
    # One static library per target, size-tuned (LTO, opt-level s). The C code (SQLite, ring,
    # zstd) and Rust get the same minimum iOS.
    for t in "${IOS_TARGETS[@]}"; do
        say "cargo build --locked -p teng-ffi --profile release-ffi --target $t"
        IPHONEOS_DEPLOYMENT_TARGET="$IOS_MIN" cargo build --locked -p teng-ffi --profile release-ffi --target "$t" >&2
    done
    # The simulator runs on Apple silicon and Intel Macs: its two slices go into one archive,
    # because an XCFramework holds one library per platform variant.
    sim="$(mktemp -d)/ios-simulator"
    mkdir -p "$sim"
    lipo -create "$target_dir/aarch64-apple-ios-sim/release-ffi/libteng_ffi.a" \
        "$target_dir/x86_64-apple-ios/release-ffi/libteng_ffi.a" -output "$sim/libteng_ffi.a"
    rm -rf "$package/TengFFI.xcframework"
    xcodebuild -create-xcframework \
        -library "$target_dir/aarch64-apple-ios/release-ffi/libteng_ffi.a" -headers "$headers" \
        -library "$sim/libteng_ffi.a" -headers "$headers" \
        -output "$package/TengFFI.xcframework" >&2
    rm -rf "$(dirname "$sim")"
    [[ -f "$package/TengFFI.xcframework/Info.plist" ]] || die "xcodebuild did not write TengFFI.xcframework"
}

# package OUT: lays out OUT/TengSwift and OUT/TengFFI-headers; prints the result lines.
package() {
    local out=$1
    local pkg="$out/TengSwift" headers="$out/TengFFI-headers"
    local d
    for d in "$pkg" "$headers"; do
        [[ ! -e "$d" || -f "$d/.teng-package" ]] || die "$d exists and was not made by this script; choose another --out"
        rm -rf "$d"
        mkdir -p "$d"
        : >"$d/.teng-package"
    done
    mkdir -p "$pkg/Sources/Teng" "$headers/TengFFI"

    local gen
    gen="$(mktemp -d)"
    "$BINDGEN" generate --library "$METADATA" --language swift --out-dir "$gen" --no-format --metadata-no-deps >&2
    for d in Teng.swift TengFFI.h TengFFI.modulemap; do
        [[ -s "$gen/$d" ]] || die "uniffi-bindgen did not write $gen/$d"
    done
    grep -q '^module TengFFI ' "$gen/TengFFI.modulemap" || die "the generated module map does not declare module TengFFI"
    cp "$gen/Teng.swift" "$pkg/Sources/Teng/Teng.swift"
    cp "$gen/TengFFI.h" "$headers/TengFFI/TengFFI.h"
    # The name clang and Xcode look for in a header folder.
    cp "$gen/TengFFI.modulemap" "$headers/TengFFI/module.modulemap"
    rm -rf "$gen"
    write_package_swift "$pkg"

    local status=missing
    build_xcframework "$pkg" "$headers" && status=built
    printf 'TENG_SWIFT_PACKAGE=%s\nTENG_SWIFT_XCFRAMEWORK=%s\n' "$(cd "$pkg" && pwd)" "$status"
}

# --- --check ------------------------------------------------------------------------------------

run_check() {
    local tmp passed=0 failed=0
    tmp="$(mktemp -d /tmp/teng-package-swift.XXXXXX)"
    # shellcheck disable=SC2064 # expand now
    trap "rm -rf '$tmp'" EXIT
    ok() { printf 'ok      %s\n' "$1"; passed=$((passed + 1)); }
    bad() { printf 'FAILED  %s\n' "$1"; failed=$((failed + 1)); }
    expect() { local name=$1; shift; if "$@" >/dev/null 2>&1; then ok "$name"; else bad "$name"; fi; }

    build_host
    local result pkg headers
    result="$(package "$tmp/out")"
    pkg="$tmp/out/TengSwift"
    headers="$tmp/out/TengFFI-headers"
    local f
    for f in "$pkg/Package.swift" "$pkg/Sources/Teng/Teng.swift" "$headers/TengFFI/TengFFI.h" "$headers/TengFFI/module.modulemap"; do
        expect "layout: ${f#"$tmp/out/"}" test -s "$f"
    done
    expect "module map names TengFFI" grep -q '^module TengFFI {' "$headers/TengFFI/module.modulemap"
    expect "Teng.swift imports TengFFI" grep -qx 'import TengFFI' "$pkg/Sources/Teng/Teng.swift"
    if [[ "$(uname -s)" != Darwin ]]; then
        expect "no XCFramework off macOS, and the result line says so" grep -qx 'TENG_SWIFT_XCFRAMEWORK=missing' <<<"$result"
    fi

    # shellcheck source=scripts/toolchain/swift.sh
    source scripts/toolchain/swift.sh # defines teng_swift_run
    # The manifest as SwiftPM reads it (no build: a binary target is an Apple-only artifact).
    if (cd "$pkg" && teng_swift_run swift package dump-package) >"$tmp/dump.json" 2>"$tmp/dump.err"; then
        ok "swift package dump-package parses Package.swift"
        manifest_has() {
            python3 - "$tmp/dump.json" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
targets = {t["name"]: t for t in m["targets"]}
ffi, teng = targets["TengFFI"], targets["Teng"]
assert ffi["type"] == "binary" and ffi["path"] == "TengFFI.xcframework", ffi
assert teng["type"] == "regular" and teng["path"] == "Sources/Teng", teng
assert [d["byName"][0] for d in teng["dependencies"]] == ["TengFFI"], teng["dependencies"]
products = {p["name"]: p for p in m["products"]}
assert products["Teng"]["targets"] == ["Teng"], products
assert any(p["platformName"] == "ios" for p in m["platforms"]), m["platforms"]
EOF
        }
        expect "manifest: product Teng; target Teng on binary target TengFFI.xcframework; iOS" manifest_has
    else
        cat "$tmp/dump.err" >&2
        bad "swift package dump-package parses Package.swift"
    fi

    # Teng.swift as its own module Teng, finding TengFFI the way Xcode does: a header search path
    # holding TengFFI/module.modulemap (no -fmodule-map-file).
    mkdir -p "$tmp/build"
    cat >"$tmp/build/main.swift" <<'EOF'
import Foundation
import Teng

let path = NSTemporaryDirectory() + "teng-package-swift-\(getpid()).db"
defer { try? FileManager.default.removeItem(atPath: path) }
let store = try TengStore.open(path: path, language: .ky)
let stats = try store.seedDemoData(listings: 200, seed: 7)
let page = try store.search(query: SearchQuery(text: "bishkek"))
print("listings=\(stats.listings) hits=\(page.hits.count)")
store.closeStore()
EOF
    say "swiftc: Sources/Teng/Teng.swift as module Teng, then a program that imports it"
    if (cd "$tmp/build" && teng_swift_run swiftc -parse-as-library -emit-library -emit-module -module-name Teng \
        -I "$headers" -L "$HOST_LIB_DIR" -lteng_ffi -Xlinker -rpath -Xlinker "$HOST_LIB_DIR" \
        "$pkg/Sources/Teng/Teng.swift" -o libTeng.so) >&2; then
        ok "Sources/Teng/Teng.swift compiles as module Teng against TengFFI-headers and the host library"
        if (cd "$tmp/build" && teng_swift_run swiftc -I . -I "$headers" -L . -lTeng -L "$HOST_LIB_DIR" -lteng_ffi \
            -Xlinker -rpath -Xlinker "$tmp/build" -Xlinker -rpath -Xlinker "$HOST_LIB_DIR" main.swift -o smoke) >&2; then
            local line
            line="$(cd "$tmp/build" && teng_swift_run ./smoke 2>&1)" || true
            printf '        %s\n' "$line"
            expect "a program importing Teng opens, seeds and searches a store" grep -qx 'listings=200 hits=20' <<<"$line"
        else
            bad "a program importing Teng compiles"
        fi
    else
        bad "Sources/Teng/Teng.swift compiles as module Teng against TengFFI-headers and the host library"
    fi

    echo "package-swift: $passed passed, $failed failed"
    ((failed == 0))
}

if ((check)); then
    run_check
else
    build_host
    package "$out"
fi
