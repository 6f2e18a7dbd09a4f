#!/usr/bin/env bash
# Swift toolchain for compiling and running the UniFFI Swift bindings tests.
#
#   source scripts/toolchain/swift.sh      # installs what is missing, then defines teng_swift_run
#   teng_swift_run swiftc -I ... main.swift # runs a command inside the Swift chroot
#   bash scripts/toolchain/swift.sh        # installs what is missing, prints the paths
#   bash scripts/toolchain/swift.sh run CMD [ARGS...]   # same as teng_swift_run CMD ARGS...
#
# Why a chroot: no Swift for bookworm (the host) is reachable through the package registries, but
# Debian trixie ships `swiftlang` (6.0.3). So a minimal trixie root file system is bootstrapped with
# debootstrap from the same Debian mirror the host's apt uses, swiftlang is apt-installed in it, and
# commands run there with chroot. The repository is bind-mounted at its own absolute path, and so
# are the host's /tmp, CARGO_TARGET_DIR if set, and the folders in TENG_SWIFT_BINDS (colon-separated;
# never system folders such as /usr), so paths mean the same inside and outside: a cdylib built on
# the host by cargo is linked and loaded by Swift in the chroot by the same path. Host binaries (glibc 2.36) load in
# trixie (glibc 2.41); the other way round does not, so Swift programs run inside the chroot only.
#
# Every mount is made in a private mount namespace (unshare --mount) that dies with the command, so
# the kernel removes the mounts whatever way the command ends (error, Ctrl-C, kill -9): no trap can
# be skipped, concurrent calls do not unmount each other, and nothing leaks into the host.
#
# Needs root (debootstrap, mount, chroot). The install (2.6 GiB, 2-3 minutes) happens once; the
# stamp file is written only after the installed compiler has built and run a program, so an
# interrupted install is redone from scratch next time.
# Sourcing never changes the caller's shell options: installing and entering the chroot happen in a
# child bash with `set -euo pipefail`. A failed install makes `source` return non-zero.

# Bump when the install steps or package list change, so old caches are redone instead of trusted.
_TENG_SWIFT_STAMP_KEY="debian=trixie packages=swiftlang,libc6-dev layout=1"
_TENG_SWIFT_SUITE=trixie
# swiftlang pulls in binutils and gcc (its linker driver needs crt files from libgcc-dev); libc6-dev
# is named too because linking any program needs it, whatever swiftlang's dependencies become.
_TENG_SWIFT_PACKAGES=(swiftlang libc6-dev)
_TENG_SWIFT_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

_TENG_SWIFT_SH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
TENG_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
_TENG_SWIFT_TOOLCHAINS="${TENG_TOOLCHAINS_DIR:-$TENG_REPO_ROOT/.cache/toolchains}"
TENG_SWIFT_DIR="$_TENG_SWIFT_TOOLCHAINS/swift-trixie"
TENG_SWIFT_ROOTFS="$TENG_SWIFT_DIR/rootfs"

# Fast path: two file tests, so a warm cache costs milliseconds.
_teng_swift_ready() {
    local key=
    [[ -f "$TENG_SWIFT_DIR/stamp" ]] && IFS= read -r key <"$TENG_SWIFT_DIR/stamp"
    [[ "$key" == "$_TENG_SWIFT_STAMP_KEY" && -d "$TENG_SWIFT_ROOTFS/usr/libexec/swift" ]]
}

_teng_swift_die() { printf 'scripts/toolchain/swift.sh: error: %s\n' "$*" >&2; exit 1; }
_teng_swift_say() { printf 'swift.sh: %s\n' "$*" >&2; }

# Mount points at or under the rootfs in the current mount namespace, deepest first. Only an older
# script, a crashed debootstrap or someone debugging by hand leaves these; they must go before the
# rootfs is deleted (rm -rf would otherwise walk into the bind-mounted repository and delete it).
_teng_swift_mounts_under_rootfs() {
    # mountinfo escapes spaces in paths as \040.
    local root="${TENG_SWIFT_ROOTFS// /\\040}"
    awk -v r="$root" '$5 == r || index($5, r "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r
}

_teng_swift_unmount_stale() {
    local m
    while IFS= read -r m; do
        [[ -n "$m" ]] || continue
        _teng_swift_say "unmounting leftover mount $m"
        # printf %b turns \040 back into a space; -l detaches even if something still uses it.
        umount -l "$(printf '%b' "$m")" 2>/dev/null || true
    done < <(_teng_swift_mounts_under_rootfs)
    [[ -z "$(_teng_swift_mounts_under_rootfs)" ]] ||
        _teng_swift_die "cannot unmount leftovers under $TENG_SWIFT_ROOTFS: $(_teng_swift_mounts_under_rootfs | tr '\n' ' ')"
}

# The first Debian archive URI of the host's apt sources (deb822 *.sources or one-line *.list),
# because that is the mirror known to be reachable here. TENG_DEBIAN_MIRROR overrides it. Fails
# when there is none rather than guessing a mirror that may not be reachable.
_teng_swift_mirror() {
    if [[ -n "${TENG_DEBIAN_MIRROR:-}" ]]; then
        printf '%s\n' "$TENG_DEBIAN_MIRROR"
        return
    fi
    local files=() f uri
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
        [[ -f "$f" ]] && files+=("$f")
    done
    uri="$(
        { ((${#files[@]})) && cat "${files[@]}"; } |
            awk '/^[[:space:]]*#/ { next }
                 /^[[:space:]]*URIs:/ { for (i = 2; i <= NF; i++) print $i; next }
                 /^[[:space:]]*deb[[:space:]]/ { for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i !~ /\]$/) { print $i; break } }' |
            grep -E '^https?://[^[:space:]]+/debian/?$' | head -n 1
    )" || true
    [[ -n "$uri" ]] || return 1
    printf '%s\n' "$uri"
}

_teng_swift_apt_host() {
    local log=$1; shift
    local pkg missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null | grep -q '^ii' || missing+=("$pkg")
    done
    ((${#missing[@]})) || return 0
    _teng_swift_say "apt-get install ${missing[*]} (host)"
    # A fresh machine may have no package lists yet, so update before installing.
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
        cat "$log" >&2
        _teng_swift_die "apt-get install ${missing[*]} failed on the host"
    fi
}

# Runs under `set -euo pipefail` (direct-run path only).
_teng_swift_install() {
    local log mirror start=$SECONDS
    log="$(mktemp)"
    # shellcheck disable=SC2064  # expand now: $log is local
    trap "rm -f '$log'" EXIT

    [[ "$(id -u)" == 0 ]] || _teng_swift_die "needs root (debootstrap, mount, chroot); run as root"
    _teng_swift_apt_host "$log" debootstrap
    local tool
    for tool in unshare mount umount chroot; do
        command -v "$tool" >/dev/null || _teng_swift_die "$tool not found on the host (util-linux/mount/coreutils)"
    done

    _teng_swift_unmount_stale
    rm -rf "$TENG_SWIFT_DIR"
    mkdir -p "$TENG_SWIFT_DIR"

    mirror="$(_teng_swift_mirror)" ||
        _teng_swift_die "found no Debian archive URI (http(s)://.../debian) in the host's apt sources; set TENG_DEBIAN_MIRROR"
    _teng_swift_say "debootstrap --variant=minbase $_TENG_SWIFT_SUITE from $mirror into $TENG_SWIFT_ROOTFS (about 40 s)"
    # In its own mount namespace so that the /proc and /sys debootstrap mounts cannot outlive it.
    if ! unshare --mount --propagation private -- \
        debootstrap --variant=minbase "$_TENG_SWIFT_SUITE" "$TENG_SWIFT_ROOTFS" "$mirror" >"$log" 2>&1; then
        tail -n 30 "$log" >&2
        [[ -f "$TENG_SWIFT_ROOTFS/debootstrap/debootstrap.log" ]] &&
            tail -n 30 "$TENG_SWIFT_ROOTFS/debootstrap/debootstrap.log" >&2
        _teng_swift_die "debootstrap $_TENG_SWIFT_SUITE from $mirror failed"
    fi

    # The chroot resolves the mirror's name with the host's resolver settings of today.
    cp -L /etc/resolv.conf "$TENG_SWIFT_ROOTFS/etc/resolv.conf" 2>/dev/null || true

    _teng_swift_say "apt-get install ${_TENG_SWIFT_PACKAGES[*]} in the chroot (about 1 minute)"
    if ! _teng_swift_enter / env -i PATH="$_TENG_SWIFT_PATH" HOME=/root LANG=C.UTF-8 \
        DEBIAN_FRONTEND=noninteractive sh -c \
        'apt-get update -qq && apt-get install -y -qq --no-install-recommends "$@" && apt-get clean' \
        sh "${_TENG_SWIFT_PACKAGES[@]}" >"$log" 2>&1; then
        tail -n 40 "$log" >&2
        _teng_swift_die "apt-get install ${_TENG_SWIFT_PACKAGES[*]} failed inside the $_TENG_SWIFT_SUITE chroot"
    fi

    # Compiling, linking and running a program proves the whole toolchain before the stamp says so.
    local probe
    probe="$(mktemp -d /tmp/teng-swift-probe.XXXXXX)"
    printf 'print("swift ok")\n' >"$probe/probe.swift"
    if ! _teng_swift_enter "$probe" sh -c 'swiftc probe.swift -o probe && ./probe' >"$log" 2>&1 ||
        ! grep -qx 'swift ok' "$log"; then
        cat "$log" >&2
        rm -rf "$probe"
        _teng_swift_die "the installed swiftc could not build and run a hello-world program"
    fi
    rm -rf "$probe"

    local version
    version="$(_teng_swift_enter / swiftc --version 2>/dev/null | head -n 1)"
    printf '%s\n%s\nmirror=%s\ninstalled=%s\n' "$_TENG_SWIFT_STAMP_KEY" "$version" "$mirror" \
        "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$TENG_SWIFT_DIR/stamp"
    _teng_swift_say "installed $version in $((SECONDS - start))s"
}

# Host folders seen in the chroot at their own path, one per line: the repository, /tmp,
# CARGO_TARGET_DIR when it is set (cargo's output is what Swift links against) and the
# colon-separated TENG_SWIFT_BINDS. Non-existent and relative entries are left out.
_teng_swift_binds() {
    local d extra=()
    IFS=: read -r -a extra <<<"${TENG_SWIFT_BINDS:-}"
    for d in /tmp "$TENG_REPO_ROOT" "${CARGO_TARGET_DIR:-}" "${extra[@]}"; do
        [[ "$d" == /?* && -d "$d" ]] || continue
        (cd "$d" && pwd)
    done
}

# Runs "$@" inside the chroot, in directory $1, in a fresh private mount namespace.
_teng_swift_enter() {
    local cwd=$1; shift
    unshare --mount --propagation private -- \
        "${BASH:-bash}" "$_TENG_SWIFT_SH" __in-namespace "$cwd" "$@"
}

# Already inside the private mount namespace: mount, chroot, cd, exec. Mounts vanish with the
# namespace when the command exits, so there is nothing to undo here.
_teng_swift_in_namespace() {
    local cwd=$1; shift
    local r="$TENG_SWIFT_ROOTFS"
    mount -t proc proc "$r/proc"
    # /dev from the host (not debootstrap's static nodes) gives /dev/shm and /dev/pts too.
    mount --rbind /dev "$r/dev"
    # /tmp too, so that mktemp'd build folders have the same path inside. Non-recursive binds:
    # the chroot sees these folders, not whatever is mounted below them on the host.
    local d
    while IFS= read -r d; do
        mkdir -p "$r$d"
        mount --bind "$d" "$r$d"
    done < <(_teng_swift_binds)
    # shellcheck disable=SC2016  # $1 and $@ belong to the inner sh
    exec chroot "$r" /usr/bin/env PATH="$_TENG_SWIFT_PATH" /bin/sh -c '
        cd -- "$1" 2>/dev/null || {
            echo "teng_swift_run: directory $1 is not visible in the chroot" >&2
            exit 125
        }
        shift
        exec "$@"' teng_swift_run "$cwd" "$@"
}

# Direct-run path only (`set -euo pipefail`).
_teng_swift_install_if_needed() {
    _teng_swift_ready && return 0
    mkdir -p "$_TENG_SWIFT_TOOLCHAINS"
    # Concurrent first calls (e.g. parallel tests) would otherwise debootstrap over each other; the
    # one that waited finds the stamp and does nothing.
    exec 9>"$_TENG_SWIFT_TOOLCHAINS/.swift-trixie.lock"
    flock 9
    _teng_swift_ready || _teng_swift_install
    exec 9>&-
    _teng_swift_ready || _teng_swift_die "install finished but the toolchain is incomplete"
}

_teng_swift_run_main() {
    (($#)) || _teng_swift_die "usage: teng_swift_run COMMAND [ARGS...]"
    _teng_swift_install_if_needed
    [[ "$(id -u)" == 0 ]] || _teng_swift_die "teng_swift_run needs root (mount, chroot)"
    # Elsewhere, a directory of the same name may exist in the chroot (e.g. /root) and be a
    # different one: refuse rather than run in the wrong place.
    local d visible=
    while IFS= read -r d; do
        if [[ "$PWD/" == "${d%/}/"* ]]; then visible=1; fi
    done < <(_teng_swift_binds)
    [[ -n "$visible" ]] || _teng_swift_die "teng_swift_run: the current directory $PWD is not visible in the chroot;" \
        "only these host folders are: $(_teng_swift_binds | tr '\n' ' ')(add more with TENG_SWIFT_BINDS=dir1:dir2)"
    _teng_swift_unmount_stale
    _teng_swift_enter "$PWD" "$@"
}

# For sourcing callers: installs through a child bash (strict mode there, not here).
teng_swift_ensure() {
    _teng_swift_ready && return 0
    "${BASH:-bash}" "$_TENG_SWIFT_SH" >&2 || {
        printf 'scripts/toolchain/swift.sh: error: Swift toolchain install failed\n' >&2
        return 1
    }
    _teng_swift_ready || {
        printf 'scripts/toolchain/swift.sh: error: install finished but the toolchain is incomplete\n' >&2
        return 1
    }
}

# teng_swift_run COMMAND [ARGS...]: runs the command inside the Swift chroot, in the caller's
# current directory (which must be inside one of the bound folders: the repository, /tmp,
# CARGO_TARGET_DIR, TENG_SWIFT_BINDS), with the caller's environment
# (PATH set to the chroot's), and returns its exit status. Installs the chroot first if needed.
teng_swift_run() {
    teng_swift_ensure || return 1
    "${BASH:-bash}" "$_TENG_SWIFT_SH" run "$@"
}

_teng_swift_main() {
    set -euo pipefail
    case "${1:-}" in
        run) shift; _teng_swift_run_main "$@" ;;
        __in-namespace) shift; _teng_swift_in_namespace "$@" ;;
        "")
            _teng_swift_install_if_needed
            printf 'TENG_SWIFT_ROOTFS=%s\nTENG_REPO_ROOT=%s\nbound at the same path in the chroot: %s\n' \
                "$TENG_SWIFT_ROOTFS" "$TENG_REPO_ROOT" "$(_teng_swift_binds | tr '\n' ' ')"
            ;;
        *) _teng_swift_die "unknown argument '$1' (usage: swift.sh [run COMMAND [ARGS...]])" ;;
    esac
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    _teng_swift_main "$@"
else
    export TENG_REPO_ROOT TENG_SWIFT_DIR TENG_SWIFT_ROOTFS
    teng_swift_ensure
fi
