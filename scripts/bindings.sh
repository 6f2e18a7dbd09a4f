#!/usr/bin/env bash
# Builds teng-ffi for this machine and generates its Kotlin and Swift bindings from the built
# library (UniFFI library mode: the interface is read from the library's metadata, the names from
# ffi/uniffi.toml).
#
#   scripts/bindings.sh                      # dev build → target/bindings/{kotlin,swift}
#                                            # (under $CARGO_TARGET_DIR when set)
#   scripts/bindings.sh --profile release-ffi --out /tmp/b
#
# Prints, last, the variables the test scripts read:
#   TENG_FFI_LIB=<path of libteng_ffi.so/.dylib>   TENG_FFI_LIB_DIR=<its folder>
#   TENG_BINDINGS_DIR=<out>   (kotlin/kg/teng/core/teng.kt, swift/Teng.swift + TengFFI.h + TengFFI.modulemap)
# Android and iOS builds cross-compile the same crate (cargo-ndk, xcframework) and can reuse the
# generated sources: they do not depend on the host.
set -euo pipefail
cd "$(dirname "$0")/.."

profile="${TENG_FFI_PROFILE:-dev}"
target_dir="${CARGO_TARGET_DIR:-target}"
out="$target_dir/bindings"
while (($#)); do
    case "$1" in
        --profile) profile="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
        *) echo "bindings.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done

case "$profile" in
    dev) profile_dir=debug ;;
    *) profile_dir="$profile" ;;
esac
case "$(uname -s)" in
    Darwin) lib_name=libteng_ffi.dylib ;;
    *) lib_name=libteng_ffi.so ;;
esac
lib="$target_dir/$profile_dir/$lib_name"

export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# The generator is a small dev build whatever the library's profile; one cargo call when both are
# dev, so the shared dependencies are built once.
if [[ "$profile" == dev ]]; then
    cargo build --locked -p teng-ffi -p teng-uniffi-bindgen >&2
else
    cargo build --locked -p teng-uniffi-bindgen >&2
    cargo build --locked -p teng-ffi --profile "$profile" >&2
fi
bindgen="$target_dir/debug/uniffi-bindgen"
# The interface is read from the static library of the same build: a stripped cdylib (the
# release-ffi profile strips) has lost the UNIFFI_META_* symbols the generator reads, the archive
# keeps them. Both hold the same code, so the generated checksums match the cdylib.
metadata="$target_dir/$profile_dir/libteng_ffi.a"
for f in "$lib" "$metadata"; do
    [[ -f "$f" ]] || { echo "bindings.sh: $f was not built" >&2; exit 1; }
done

rm -rf "$out/kotlin" "$out/swift"
mkdir -p "$out/kotlin" "$out/swift"
# --no-format: do not depend on ktlint/swiftformat being installed. --metadata-no-deps: teng_ffi,
# the only crate with UniFFI exports, is in this workspace.
for language in kotlin swift; do
    "$bindgen" generate --library "$metadata" --language "$language" --out-dir "$out/$language" \
        --no-format --metadata-no-deps >&2
done

for f in "$out/kotlin/kg/teng/core/teng.kt" "$out/swift/Teng.swift" "$out/swift/TengFFI.h" \
    "$out/swift/TengFFI.modulemap"; do
    [[ -s "$f" ]] || { echo "bindings.sh: expected $f was not generated" >&2; exit 1; }
done

abs() { (cd "$1" && pwd); }
printf 'TENG_FFI_LIB=%s\nTENG_FFI_LIB_DIR=%s\nTENG_BINDINGS_DIR=%s\n' \
    "$(abs "$(dirname "$lib")")/$lib_name" "$(abs "$(dirname "$lib")")" "$(abs "$out")"
