#!/usr/bin/env bash
# Swift bindings tests: builds teng-ffi for this machine, generates the Swift bindings, compiles
# them with the test program in ffi/tests/swift (swiftc, in the Debian trixie chroot of
# scripts/toolchain/swift.sh; a plain program rather than XCTest, so it is one swiftc call) against
# the host-built library, and runs it in the chroot, with a real teng-server on loopback for the
# sync tests. Prints one line per test and closes with "N passed, N failed"; exits non-zero on
# failure.
#
#   scripts/test-swift.sh                             # dev build of the library
#   TENG_FFI_PROFILE=release-ffi scripts/test-swift.sh  # against the size-tuned build
#
# Needs root (the chroot). The test binary is cached in target/swift-tests and rebuilt only when
# the generated bindings or the test sources change.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS

# shellcheck source=scripts/toolchain/swift.sh
source scripts/toolchain/swift.sh # defines teng_swift_run

bindings_env="$(scripts/bindings.sh)"
TENG_FFI_LIB_DIR="$(sed -n 's/^TENG_FFI_LIB_DIR=//p' <<<"$bindings_env")"
TENG_BINDINGS_DIR="$(sed -n 's/^TENG_BINDINGS_DIR=//p' <<<"$bindings_env")"
swift_dir="$TENG_BINDINGS_DIR/swift"

build="$(cd "${CARGO_TARGET_DIR:-target}" && pwd)/swift-tests"
bin="$build/teng-swift-tests"
mkdir -p "$build"
sources=("$swift_dir/Teng.swift" ffi/tests/swift/*.swift)
key="$(cat "${sources[@]}" "$swift_dir/TengFFI.h" "$swift_dir/TengFFI.modulemap" \
    <(printf '%s\n' "$TENG_FFI_LIB_DIR" "$TENG_SWIFT_ROOTFS") | sha256sum | cut -d' ' -f1)"
if [[ -x "$bin" && -f "$build/key" && "$(<"$build/key")" == "$key" ]]; then
    echo "test-swift.sh: tests unchanged, reusing $bin" >&2
else
    echo "test-swift.sh: swiftc ${#sources[@]} files" >&2
    rm -f "$bin" "$build/key"
    # One module: the generated bindings and the tests. The C side (TengFFI) comes through its
    # modulemap; the library is linked by name and found at run time through the rpath.
    teng_swift_run swiftc -module-name TengTests \
        -Xcc -fmodule-map-file="$swift_dir/TengFFI.modulemap" -I "$swift_dir" \
        -L "$TENG_FFI_LIB_DIR" -lteng_ffi -Xlinker -rpath -Xlinker "$TENG_FFI_LIB_DIR" \
        "${sources[@]}" -o "$bin.partial"
    mv "$bin.partial" "$bin"
    printf '%s\n' "$key" >"$build/key"
fi

status=0
# Sync tests talk to a real server on loopback (the chroot shares the host's network).
# shellcheck source=scripts/lib/test-server.sh
source scripts/lib/test-server.sh
teng_test_server_start 300

teng_swift_run "$bin" || status=$?
echo "test-swift.sh: $((SECONDS - start))s" >&2
exit "$status"
