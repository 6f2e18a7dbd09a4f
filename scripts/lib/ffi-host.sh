# shellcheck shell=bash
# The host build of teng-ffi and the uniffi-bindgen that reads its metadata: the same dev build the
# bindings tests use, so packaging and tests generate from one library. Source it from the repository
# root; `teng_ffi_build_host` sets BINDGEN, METADATA (libteng_ffi.a, which keeps the UniFFI metadata
# a stripped cdylib loses) and HOST_LIB_DIR.

# shellcheck disable=SC2034 # the variables are for the sourcing script
teng_ffi_build_host() {
    cargo build --locked -p teng-ffi -p teng-uniffi-bindgen >&2
    local target_dir="${CARGO_TARGET_DIR:-target}"
    BINDGEN="$target_dir/debug/uniffi-bindgen"
    METADATA="$target_dir/debug/libteng_ffi.a"
    HOST_LIB_DIR="$(cd "$target_dir/debug" && pwd)"
    if [[ ! -x "$BINDGEN" || ! -f "$METADATA" ]]; then
        echo "cargo did not leave $BINDGEN and $METADATA" >&2
        return 1
    fi
}
