#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests: Debian's PostgreSQL (apt-get installed when missing), a
# cluster of its own in $TENG_PG_DIR, trust authentication, durability off (fsync, synchronous
# commit and full-page writes: a crash loses the data, which nobody wants back).
#
#   source scripts/lib/postgres.sh
#   teng_pg_start     # exports TENG_TEST_POSTGRES_URL, TENG_TEST_POSTGRES_SOCKET_URL, TENG_PG_BINDIR
#   teng_pg_stop      # stops the server; the cluster stays, so the next start is warm
#   teng_pg_destroy   # stops the server and deletes $TENG_PG_DIR
#
#   bash scripts/lib/postgres.sh start     # prints the three KEY=value lines above
#   bash scripts/lib/postgres.sh url       # prints TENG_TEST_POSTGRES_URL if the server is up
#   bash scripts/lib/postgres.sh stop | destroy
#
# Environment:
#   TENG_PG_DIR            where the cluster lives: data/, the Unix socket, server.log (/tmp/teng-pg)
#   TENG_PG_PORT           TCP port on 127.0.0.1, also the socket's name. Unset: the first of
#                          15432..15447 that the server can bind (below Linux's ephemeral range,
#                          32768-60999, where any client connection may hold a port for a while).
#                          Set: that port or a clear error.
#   TENG_PG_START_TIMEOUT  seconds to wait for the server to accept connections (60)
#
# The URL is postgres://teng@127.0.0.1:<port>/teng (start prints it). The role teng is the cluster's superuser
# (tests may create and drop a database each); the database teng is empty. The socket form is
# postgres://teng@<TENG_PG_DIR, percent-encoded>:$TENG_PG_PORT/teng (libpq and rust-postgres read it).
#
# Start is idempotent: a running cluster is reused (its role and database are checked), a stopped
# one is started, one that will not start or was made by another major version is deleted and made
# again. Concurrent starts wait for each other (flock). Nothing is stopped when the caller exits;
# call teng_pg_stop (or trap it) when the server should not outlive the caller.
#
# Root runs the server as the OS user postgres (the server refuses root; Debian's package creates
# that user); anyone else runs it as themselves. Installing needs root, or sudo without a password.
#
# Sourcing only defines functions and never changes the caller's shell options; the work runs in a
# child bash with `set -euo pipefail`, and the functions return non-zero when it fails.

_TENG_PG_SH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
_TENG_PG_ROLE=teng
_TENG_PG_DB=teng

_teng_pg_say() { printf 'postgres.sh: %s\n' "$*" >&2; }
_teng_pg_die() { printf 'scripts/lib/postgres.sh: error: %s\n' "$*" >&2; exit 1; }

_teng_pg_config() {
    TENG_PG_DIR="${TENG_PG_DIR:-/tmp/teng-pg}"
    [[ "$TENG_PG_DIR" == /* ]] || _teng_pg_die "TENG_PG_DIR must be an absolute path, not '$TENG_PG_DIR'"
    # Resolved: the socket URL names it, and `..` or a symlink in it would only confuse.
    TENG_PG_DIR="$(realpath -m -- "$TENG_PG_DIR")"
    if [[ -n "${TENG_PG_PORT:-}" ]]; then
        _TENG_PG_PORTS=("$TENG_PG_PORT")
    else
        _TENG_PG_PORTS=($(seq 15432 15447))
        TENG_PG_PORT=${_TENG_PG_PORTS[0]}
    fi
    TENG_PG_START_TIMEOUT="${TENG_PG_START_TIMEOUT:-60}"
    [[ "$TENG_PG_DIR" != *[\'\ ]* ]] || _teng_pg_die "TENG_PG_DIR may not contain quotes or spaces"
    if ! [[ "$TENG_PG_PORT" =~ ^[1-9][0-9]{0,4}$ ]] || ((TENG_PG_PORT > 65535)); then
        _teng_pg_die "TENG_PG_PORT must be a port number, not '$TENG_PG_PORT'"
    fi
    [[ "$TENG_PG_START_TIMEOUT" =~ ^[1-9][0-9]*$ ]] ||
        _teng_pg_die "TENG_PG_START_TIMEOUT must be a number of seconds, not '$TENG_PG_START_TIMEOUT'"
    # A Unix socket's path holds at most 107 bytes.
    local socket="$TENG_PG_DIR/.s.PGSQL.65535.lock"
    ((${#socket} <= 107)) || _teng_pg_die "TENG_PG_DIR is too long for a Unix socket path: $TENG_PG_DIR"
    _TENG_PG_DATA="$TENG_PG_DIR/data"
    _TENG_PG_LOG="$TENG_PG_DIR/server.log"
    _teng_pg_use_port "$TENG_PG_PORT"
}

# Sets the port and the URLs that name it.
_teng_pg_use_port() {
    TENG_PG_PORT="$1"
    TENG_TEST_POSTGRES_URL="postgres://$_TENG_PG_ROLE@127.0.0.1:$TENG_PG_PORT/$_TENG_PG_DB"
    TENG_TEST_POSTGRES_SOCKET_URL="postgres://$_TENG_PG_ROLE@${TENG_PG_DIR//\//%2F}:$TENG_PG_PORT/$_TENG_PG_DB"
}

# The port a running postmaster listens on (line 4 of postmaster.pid), or nothing.
_teng_pg_running_port() { sed -n 4p "$_TENG_PG_DATA/postmaster.pid" 2>/dev/null; }

# Uses the running server's port when it is one asked for; status 1 when it is not.
_teng_pg_use_running_port() {
    local port
    port="$(_teng_pg_running_port)"
    [[ -n "$port" && " ${_TENG_PG_PORTS[*]} " == *" $port "* ]] || return 1
    _teng_pg_use_port "$port"
}

# The highest Debian PostgreSQL's bin folder (/usr/lib/postgresql/<major>/bin), or nothing.
# /usr/local/bin/initdb and friends are not looked at: only Debian's layout is trusted.
_teng_pg_find_bindir() {
    local dir best="" best_major=0 major
    for dir in /usr/lib/postgresql/*/bin; do
        major="${dir#/usr/lib/postgresql/}"
        major="${major%/bin}"
        [[ "$major" =~ ^[0-9]+$ ]] || continue
        [[ -x "$dir/initdb" && -x "$dir/pg_ctl" && -x "$dir/postgres" && -x "$dir/pg_isready" && -x "$dir/psql" ]] ||
            continue
        if ((major > best_major)); then best="$dir" best_major=$major; fi
    done
    [[ -n "$best" ]] && printf '%s\n' "$best"
}

# Root runs apt-get itself; others only through sudo that needs no password.
_teng_pg_apt() {
    if [[ "$(id -u)" == 0 ]]; then
        DEBIAN_FRONTEND=noninteractive apt-get "$@"
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        sudo -n env DEBIAN_FRONTEND=noninteractive apt-get "$@"
    else
        _teng_pg_die "need root (or sudo without a password) to apt-get install postgresql"
    fi
}

_teng_pg_install() {
    local log
    log="$(mktemp)"
    _teng_pg_say "apt-get install postgresql (Debian's)"
    # Package lists that are missing (a fresh machine) or stale make the first try fail; only then
    # update them.
    if ! { _teng_pg_apt install -y -qq --no-install-recommends postgresql ||
        { _teng_pg_apt update -qq && _teng_pg_apt install -y -qq --no-install-recommends postgresql; }; } \
        >"$log" 2>&1; then
        tail -n 40 "$log" >&2
        rm -f "$log"
        _teng_pg_die "apt-get install postgresql failed"
    fi
    rm -f "$log"
}

# Runs a command as the server's OS user, from / (the server user may not enter the caller's folder).
# Without the lock's descriptor: a postmaster that inherited it would hold the lock for its life.
_teng_pg_as() {
    if [[ "$_TENG_PG_USER" == "$(id -un)" ]]; then
        (cd / && "$@" 9<&-)
    else
        (cd / && runuser -u "$_TENG_PG_USER" -- "$@" 9<&-)
    fi
}

_teng_pg_ctl() { _teng_pg_as "$_TENG_PG_BINDIR/pg_ctl" -D "$_TENG_PG_DATA" "$@"; }

# The pid of the postmaster that runs on the data folder, or status 1. Unlike `pg_ctl status`, a
# killed postmaster that is still a zombie (PID 1 may be slow to reap) and a pid reused by another
# program since a crash do not count.
_teng_pg_postmaster_pid() {
    local pid
    [[ -f "$_TENG_PG_DATA/postmaster.pid" ]] || return 1
    pid="$(head -n 1 "$_TENG_PG_DATA/postmaster.pid" 2>/dev/null)"
    [[ "$pid" =~ ^[0-9]+$ && -d "/proc/$pid" ]] || return 1
    [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == postgres ]] || return 1
    [[ "/proc/$pid/cwd" -ef "$_TENG_PG_DATA" ]] || return 1
    printf '%s\n' "$pid"
}

_teng_pg_running() { _teng_pg_postmaster_pid >/dev/null; }

_teng_pg_ready() {
    "$_TENG_PG_BINDIR/pg_isready" -q -h "$TENG_PG_DIR" -p "$TENG_PG_PORT" -U "$_TENG_PG_ROLE" -d postgres -t 2 &&
        "$_TENG_PG_BINDIR/pg_isready" -q -h 127.0.0.1 -p "$TENG_PG_PORT" -U "$_TENG_PG_ROLE" -d postgres -t 2
}

# Shows what the server logged since byte $1 of its log: this start's lines, not older ones.
_teng_pg_log_tail() {
    local from="${1:-0}"
    if [[ -f "$_TENG_PG_LOG" ]] && (($(stat -c %s "$_TENG_PG_LOG") > from)); then
        _teng_pg_say "the server's log of this start, $_TENG_PG_LOG (last 40 lines):"
        tail -c +"$((from + 1))" "$_TENG_PG_LOG" | tail -n 40 >&2
    else
        _teng_pg_say "the server logged nothing ($_TENG_PG_LOG)"
    fi
}

# The server's processes: every one of them runs in the data folder (the same device and inode, not
# only the same path: a chroot sharing the PID namespace may have a folder of that name too).
# Orphaned backends of a killed postmaster would keep its shared memory and stop a new postmaster.
_teng_pg_data_pids() {
    local proc comm
    for proc in /proc/[0-9]*; do
        # `read` is a builtin: only postgres processes cost a fork.
        read -r comm 2>/dev/null <"$proc/comm" || continue
        [[ "$comm" == postgres ]] || continue
        [[ "$proc/cwd" -ef "$_TENG_PG_DATA" ]] || continue
        printf '%s\n' "${proc#/proc/}"
    done
}

# Fast shutdown, then immediate, then SIGKILL of every server process; returns once nothing runs
# in the data folder. A server that is not running is fine.
_teng_pg_stop_server() {
    local mode pids tries=50 _
    for mode in fast:10 immediate:5; do
        _teng_pg_running || break
        _teng_pg_ctl stop -m "${mode%:*}" -w -t "${mode#*:}" >/dev/null 2>&1 && break
        _teng_pg_say "pg_ctl stop -m ${mode%:*} did not stop the server within ${mode#*:}s"
        tries=1
    done
    # Backends may take a moment to follow their postmaster out (not when pg_ctl gave up).
    for _ in $(seq 1 "$tries"); do
        pids="$(_teng_pg_data_pids)"
        [[ -n "$pids" ]] || break
        sleep 0.1
    done
    if [[ -n "$pids" ]]; then
        _teng_pg_say "killing the server's processes: ${pids//$'\n'/ }"
        # shellcheck disable=SC2086  # one pid a word
        kill -KILL $pids 2>/dev/null || true
        for _ in $(seq 1 100); do
            [[ -n "$(_teng_pg_data_pids)" ]] || break
            sleep 0.1
        done
        pids="$(_teng_pg_data_pids)"
        [[ -z "$pids" ]] || _teng_pg_die "server processes survived SIGKILL: ${pids//$'\n'/ }"
    fi
    # Nothing of the server runs, so its lock files are stale. A new postmaster would trust them
    # while the old pid is an unreaped zombie, and refuse to start.
    rm -f "$_TENG_PG_DATA/postmaster.pid" "$TENG_PG_DIR"/.s.PGSQL.*
}

# Settings live in teng.conf, rewritten at every start, so a changed TENG_PG_PORT takes effect.
_teng_pg_write_conf() {
    _teng_pg_as tee "$_TENG_PG_DATA/teng.conf" >/dev/null <<EOF
# Written by scripts/lib/postgres.sh at every start; edits are lost.
listen_addresses = '127.0.0.1'
port = $TENG_PG_PORT
unix_socket_directories = '$TENG_PG_DIR'
max_connections = 200
# A throwaway cluster: speed over durability.
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
}

_teng_pg_init() {
    local log
    _teng_pg_say "initdb $_TENG_PG_DATA ($("$_TENG_PG_BINDIR/postgres" --version))"
    rm -rf "$_TENG_PG_DATA"
    log="$(mktemp)"
    if ! _teng_pg_as "$_TENG_PG_BINDIR/initdb" -D "$_TENG_PG_DATA" -U "$_TENG_PG_ROLE" -A trust -E UTF8 \
        --locale=C.UTF-8 --lc-collate=C --no-sync >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        _teng_pg_die "initdb $_TENG_PG_DATA failed"
    fi
    rm -f "$log"
    printf "\ninclude_if_exists = 'teng.conf'\n" | _teng_pg_as tee -a "$_TENG_PG_DATA/postgresql.conf" >/dev/null
}

# A program that accepts connections on the port; one that only holds it (a client's local port)
# shows as the server's failure to bind, which _teng_pg_launch reads from the log.
_teng_pg_port_answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Starts the server on the existing data folder, on the first port of _TENG_PG_PORTS it can bind,
# and waits until it accepts connections. Returns 1 (after showing the log) when it does not.
_teng_pg_launch() {
    local port log_size
    for port in "${_TENG_PG_PORTS[@]}"; do
        _teng_pg_use_port "$port"
        if _teng_pg_port_answers "$port"; then
            _teng_pg_say "127.0.0.1:$port is taken by another program"
            continue
        fi
        log_size="$(stat -c %s "$_TENG_PG_LOG" 2>/dev/null || echo 0)"
        _teng_pg_launch_on_port "$log_size" && return 0
        # Only a port that cannot be bound is worth another try; other failures would repeat.
        if tail -c +"$((log_size + 1))" "$_TENG_PG_LOG" 2>/dev/null | grep -q 'could not create any TCP/IP sockets'; then
            _teng_pg_say "the server cannot bind 127.0.0.1:$port"
            _teng_pg_stop_server
            continue
        fi
        return 1
    done
    if ((${#_TENG_PG_PORTS[@]} == 1)); then
        _teng_pg_die "127.0.0.1:$TENG_PG_PORT is not free; set TENG_PG_PORT to a free port (or unset it)"
    fi
    _teng_pg_die "none of the ports ${_TENG_PG_PORTS[0]}-${_TENG_PG_PORTS[-1]} is free; set TENG_PG_PORT to a free port"
}

# One start on $TENG_PG_PORT; $1 is the log's size before it.
_teng_pg_launch_on_port() {
    local deadline out log_size="$1"
    _teng_pg_write_conf
    if ! out="$(_teng_pg_ctl start -w -t "$TENG_PG_START_TIMEOUT" -l "$_TENG_PG_LOG" 2>&1)"; then
        printf '%s\n' "$out" >&2
        _teng_pg_say "the server did not start on port $TENG_PG_PORT (pg_ctl start -w -t $TENG_PG_START_TIMEOUT failed)"
        _teng_pg_log_tail "$log_size"
        return 1
    fi
    deadline=$((SECONDS + TENG_PG_START_TIMEOUT))
    until _teng_pg_ready; do
        if ((SECONDS >= deadline)); then
            _teng_pg_say "pg_isready: the server does not accept connections after ${TENG_PG_START_TIMEOUT}s"
            _teng_pg_log_tail "$log_size"
            return 1
        fi
        sleep 0.1
    done
}

_teng_pg_psql() {
    "$_TENG_PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h "$TENG_PG_DIR" -p "$TENG_PG_PORT" -U "$_TENG_PG_ROLE" "$@"
}

# The role and database the URL names; a cluster from initdb here has both, but check.
_teng_pg_ensure_db() {
    local have
    # One statement: psql before 15 prints only the last result of several.
    have="$(_teng_pg_psql -d postgres -At -F ' ' -c \
        "SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = '$_TENG_PG_ROLE'),
                (SELECT count(*) FROM pg_database WHERE datname = '$_TENG_PG_DB')")" ||
        _teng_pg_die "cannot query the server as $_TENG_PG_ROLE"
    [[ "${have% *}" == t ]] || _teng_pg_die "role $_TENG_PG_ROLE is not a superuser"
    if [[ "${have#* }" != 1 ]]; then
        _teng_pg_psql -d postgres -c "CREATE DATABASE $_TENG_PG_DB OWNER $_TENG_PG_ROLE" ||
            _teng_pg_die "CREATE DATABASE $_TENG_PG_DB failed"
    fi
}

# Serialises starts and stops on one TENG_PG_DIR (the install too). The lock file sits next to the
# folder, so destroy can delete the folder while holding it; read-only is enough for flock.
_teng_pg_lock() {
    local lock="$TENG_PG_DIR.lock"
    mkdir -p "$(dirname "$TENG_PG_DIR")"
    [[ -e "$lock" ]] || : >"$lock"
    exec 9<"$lock"
    flock -w 300 9 || _teng_pg_die "another postgres.sh holds $lock for 5 minutes"
}

# TENG_PG_DIR is deleted, chowned and chmoded: refuse a folder that holds anything but ours.
_teng_pg_dir_is_ours() {
    local entry
    [[ -d "$TENG_PG_DIR" ]] || return 0
    for entry in "$TENG_PG_DIR"/* "$TENG_PG_DIR"/.[!.]*; do
        [[ -e "$entry" || -L "$entry" ]] || continue
        case "${entry##*/}" in
        data | server.log | .s.PGSQL.*) ;;
        *) return 1 ;;
        esac
    done
    [[ ! -e "$_TENG_PG_DATA" || -f "$_TENG_PG_DATA/PG_VERSION" || -z "$(ls -A "$_TENG_PG_DATA")" ]]
}

_teng_pg_prepare_dir() {
    _teng_pg_dir_is_ours ||
        _teng_pg_die "$TENG_PG_DIR holds files that are not a postgres.sh cluster; remove it or set TENG_PG_DIR"
    mkdir -p "$TENG_PG_DIR"
    local owner
    owner="$(stat -c %U "$TENG_PG_DIR")"
    if [[ "$owner" != "$_TENG_PG_USER" ]]; then
        # Root may hand a folder it made (or one of root's) to postgres; nobody else's.
        [[ "$(id -u)" == 0 && "$owner" == root ]] ||
            _teng_pg_die "$TENG_PG_DIR belongs to $owner, not $_TENG_PG_USER; remove it or set TENG_PG_DIR"
        chown "$_TENG_PG_USER:" "$TENG_PG_DIR"
    fi
    # Readable by all so that any local user reaches the socket; data/ itself is 0700 (initdb).
    chmod 0755 "$TENG_PG_DIR"
    _teng_pg_as test -w "$TENG_PG_DIR" ||
        _teng_pg_die "$_TENG_PG_USER cannot write $TENG_PG_DIR (a parent folder closed to it?); set TENG_PG_DIR"
}

_teng_pg_setup() {
    _teng_pg_config
    # The child's own environment: PG* variables must not redirect its clients, and the caller's
    # locale may not exist here.
    unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGPASSWORD PGPASSFILE PGSERVICE PGSERVICEFILE \
        PGOPTIONS PGSSLMODE PGCONNECT_TIMEOUT PGDATA
    export LC_ALL=C
    if [[ "$(id -u)" == 0 ]]; then _TENG_PG_USER=postgres; else _TENG_PG_USER="$(id -un)"; fi
}

_teng_pg_need_bindir() {
    _TENG_PG_BINDIR="$(_teng_pg_find_bindir)" || _TENG_PG_BINDIR=""
    if [[ -z "$_TENG_PG_BINDIR" && "${1:-}" == install ]]; then
        _teng_pg_install
        _TENG_PG_BINDIR="$(_teng_pg_find_bindir)" ||
            _teng_pg_die "postgresql is installed, but no /usr/lib/postgresql/<version>/bin has" \
                "initdb, pg_ctl, postgres, pg_isready and psql"
    fi
    [[ -n "$_TENG_PG_BINDIR" ]]
}

_teng_pg_cmd_start() {
    local start=$SECONDS major
    _teng_pg_lock
    _teng_pg_need_bindir install
    id -u "$_TENG_PG_USER" >/dev/null 2>&1 ||
        _teng_pg_die "no OS user $_TENG_PG_USER to run the server as (Debian's postgresql package creates it)"
    _teng_pg_prepare_dir
    major="${_TENG_PG_BINDIR#/usr/lib/postgresql/}"
    major="${major%/bin}"

    local version=""
    [[ -f "$_TENG_PG_DATA/PG_VERSION" ]] && version="$(<"$_TENG_PG_DATA/PG_VERSION")"
    if [[ -n "$version" && "$version" != "$major" ]]; then
        _teng_pg_say "the cluster in $_TENG_PG_DATA is PostgreSQL $version, not $major: making it again"
        _teng_pg_stop_server
        rm -rf "$_TENG_PG_DATA"
    fi

    if _teng_pg_running; then
        # Reuse it when it serves a port asked for and answers; otherwise restart it.
        if ! _teng_pg_use_running_port; then
            _teng_pg_say "the server runs on port $(_teng_pg_running_port), not $TENG_PG_PORT: restarting it"
        elif _teng_pg_ready; then
            _teng_pg_ensure_db
            return 0
        else
            _teng_pg_say "the server runs but does not answer: restarting it"
        fi
        _teng_pg_stop_server
    fi

    if [[ -f "$_TENG_PG_DATA/PG_VERSION" ]]; then
        # A killed server may leave lock files, orphaned backends and their shared memory.
        _teng_pg_stop_server
        if ! _teng_pg_launch; then
            _teng_pg_say "the cluster in $_TENG_PG_DATA does not start: making it again"
            _teng_pg_stop_server
            rm -rf "$_TENG_PG_DATA"
        fi
    fi
    if ! _teng_pg_running; then
        _teng_pg_stop_server
        _teng_pg_init
        if ! _teng_pg_launch; then
            _teng_pg_stop_server
            _teng_pg_die "a fresh cluster in $_TENG_PG_DATA did not start"
        fi
    fi
    _teng_pg_ensure_db
    _teng_pg_say "PostgreSQL $major ready on 127.0.0.1:$TENG_PG_PORT and $TENG_PG_DIR in $((SECONDS - start))s"
}

_teng_pg_cmd_stop() {
    # Without Debian's PostgreSQL there is no server of ours to stop.
    _teng_pg_need_bindir || return 0
    [[ -d "$_TENG_PG_DATA" ]] || return 0
    _teng_pg_stop_server
}

_teng_pg_main() {
    set -euo pipefail
    _teng_pg_setup
    case "${1:-}" in
    start)
        _teng_pg_cmd_start
        printf 'TENG_TEST_POSTGRES_URL=%s\nTENG_TEST_POSTGRES_SOCKET_URL=%s\nTENG_PG_BINDIR=%s\n' \
            "$TENG_TEST_POSTGRES_URL" "$TENG_TEST_POSTGRES_SOCKET_URL" "$_TENG_PG_BINDIR"
        ;;
    url)
        if ! { _teng_pg_need_bindir && _teng_pg_running && _teng_pg_use_running_port && _teng_pg_ready; }; then
            _teng_pg_die "no server runs in $TENG_PG_DIR on port(s) ${_TENG_PG_PORTS[*]} (run: $0 start)"
        fi
        printf '%s\n' "$TENG_TEST_POSTGRES_URL"
        ;;
    stop)
        _teng_pg_lock
        _teng_pg_cmd_stop
        ;;
    destroy)
        _teng_pg_lock
        _teng_pg_dir_is_ours ||
            _teng_pg_die "$TENG_PG_DIR holds files that are not a postgres.sh cluster; not deleting it"
        _teng_pg_cmd_stop
        rm -rf "$TENG_PG_DIR"
        ;;
    *)
        printf 'usage: %s start|stop|url|destroy\n' "$0" >&2
        exit 2
        ;;
    esac
}

# For sourcing callers: the work runs in a child bash (strict mode there, not here).
teng_pg_start() {
    local out line
    out="$("${BASH:-bash}" "$_TENG_PG_SH" start)" || {
        printf 'scripts/lib/postgres.sh: error: the test PostgreSQL server did not start\n' >&2
        return 1
    }
    while IFS= read -r line; do
        case "$line" in
        TENG_TEST_POSTGRES_URL=* | TENG_TEST_POSTGRES_SOCKET_URL=* | TENG_PG_BINDIR=*)
            export "${line%%=*}=${line#*=}"
            ;;
        esac
    done <<<"$out"
    [[ -n "${TENG_TEST_POSTGRES_URL:-}" ]]
}

teng_pg_stop() { "${BASH:-bash}" "$_TENG_PG_SH" stop; }

teng_pg_destroy() { "${BASH:-bash}" "$_TENG_PG_SH" destroy; }

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    _teng_pg_main "$@"
fi
