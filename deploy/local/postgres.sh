#!/usr/bin/env bash
# Real PostgreSQL on loopback, in a private cluster under a git-ignored folder.
#
#   postgres.sh install                  install Debian's postgresql if initdb is missing
#   postgres.sh start DIR PORT           initdb DIR/data if new (superuser crs, trust auth
#                                        on local and loopback), start on 127.0.0.1:PORT
#                                        (socket in DIR), wait until ready
#   postgres.sh stop DIR                 fast shutdown (immediate after 60 s)
#   postgres.sh kill DIR                 SIGKILL the postmaster and its backends (crash tests)
#   postgres.sh status DIR               exit 0 if running, 3 if not
#   postgres.sh createdb DIR PORT NAME   create database NAME (owner crs) if missing
#
# DIR holds data/ (PGDATA), postgres.log and the Unix socket. Connect with
#   psql -h 127.0.0.1 -p PORT -U crs DBNAME        (no password)
#
# Environment (all optional):
#   PG_FAST=1          test harness only: fsync=off, synchronous_commit=off,
#                      full_page_writes=off (never for run-distributed/production)
#   PG_BIN             PostgreSQL bin folder (default: found from initdb on PATH or
#                      the newest /usr/lib/postgresql/*/bin)
#   PG_OS_USER         OS user that runs the server when we are root (default:
#                      postgres if it exists, else a system user crs, created)
#   PG_EXTRA_OPTS      extra postgres options, e.g. "-c shared_buffers=256MB"
#   PG_START_TIMEOUT   seconds to wait for readiness (default 90)
set -euo pipefail

SUPERUSER=crs
BIN=
OS_USER=

die() { echo "postgres: error: $*" >&2; exit 1; }
note() { echo "postgres: $*" >&2; }
# shellcheck source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

usage() {
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2
    exit 2
}

find_bin() {  # sets BIN; returns 1 if PostgreSQL is not installed
    local d
    if [ -n "${PG_BIN:-}" ]; then
        [ -x "$PG_BIN/initdb" ] || die "PG_BIN=$PG_BIN has no initdb"
        BIN=$PG_BIN; return 0
    fi
    if d=$(command -v initdb 2>/dev/null); then
        d=$(dirname "$(readlink -f "$d")")
        [ -x "$d/pg_ctl" ] && [ -x "$d/postgres" ] && { BIN=$d; return 0; }
    fi
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
    if [ -n "$d" ] && [ -x "$d/initdb" ]; then BIN=$d; return 0; fi
    return 1
}

cmd_install() {
    find_bin && return 0
    [ "$(id -u)" = 0 ] || die "PostgreSQL is not installed and we are not root: run 'apt-get install postgresql' (or set PG_BIN) and retry"
    command -v apt-get >/dev/null || die "PostgreSQL is not installed and there is no apt-get: install it (or set PG_BIN) and retry"
    note "installing PostgreSQL from Debian's packages (once) ..."
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -qq && apt-get install -y -qq postgresql; } >/tmp/postgres-apt.$$.log 2>&1 || {
        tail -n 30 /tmp/postgres-apt.$$.log >&2
        rm -f /tmp/postgres-apt.$$.log
        die "apt-get install postgresql failed (see above)"
    }
    rm -f /tmp/postgres-apt.$$.log
    find_bin || die "postgresql was installed but initdb is still not found (set PG_BIN)"
}

need_bin() { find_bin || cmd_install; }

# The OS user that owns and runs the cluster (initdb and postgres refuse root):
# the owner of an existing DIR/data, else PG_OS_USER, postgres, or crs (created).
pick_user() {  # pick_user [DIR]
    if [ "$(id -u)" != 0 ]; then OS_USER=$(id -un); return; fi
    if [ -n "${1:-}" ] && [ -d "$1/data" ]; then
        OS_USER=$(stat -c %U "$1/data")
        [ "$OS_USER" != root ] && [ "$OS_USER" != UNKNOWN ] \
            || die "$1/data is owned by $OS_USER: chown it to the user that should run PostgreSQL"
        return
    fi
    if [ -n "${PG_OS_USER:-}" ]; then
        id -u "$PG_OS_USER" >/dev/null 2>&1 || die "PG_OS_USER=$PG_OS_USER does not exist"
        OS_USER=$PG_OS_USER
    elif id -u postgres >/dev/null 2>&1; then
        OS_USER=postgres
    else
        id -u crs >/dev/null 2>&1 \
            || useradd --system --user-group --no-create-home --home-dir /nonexistent \
                       --shell /usr/sbin/nologin crs \
            || die "could not create the system user crs to run PostgreSQL"
        OS_USER=crs
    fi
    [ "$OS_USER" != root ] || die "PostgreSQL cannot run as root: set PG_OS_USER"
}

as_user() {
    if [ "$(id -u)" = 0 ]; then runuser -u "$OS_USER" -- "$@"; else "$@"; fi
}




# Postmaster pid and port of the cluster in DIR/data, from postmaster.pid, when alive.
running_pid() {
    local f="$1/data/postmaster.pid" pid
    [ -f "$f" ] || return 0
    pid=$(sed -n 1p "$f" 2>/dev/null || true)
    case "$pid" in ''|*[!0-9]*) return 0 ;; esac
    kill -0 "$pid" 2>/dev/null || return 0
    [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ] || return 0
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "-D $1/data" || return 0
    echo "$pid"
}
running_port() { sed -n 4p "$1/data/postmaster.pid" 2>/dev/null || true; }

# Unix socket folder: DIR itself, unless DIR is too long for a socket path
# (sun_path is 108 bytes: DIR/.s.PGSQL.PORT must fit), then a short one in /tmp.
socket_dir() {
    local dir=$1
    if [ $(( ${#dir} + 20 )) -le 107 ]; then
        echo "$dir"
    else
        echo "/tmp/crs-pg-$(printf '%s' "$dir" | md5sum | cut -c1-12)"
    fi
}

pg_version() { "$BIN/postgres" -V | awk '{print $3}'; }

cmd_start() {
    [ $# -eq 2 ] || die "usage: postgres.sh start DIR PORT"
    local dir port pid sock opts
    check_port_arg "$2" 65535
    port=$2
    need_bin
    dir=$(abs_dir "$1" create)
    pick_user "$dir"
    case "$dir" in *[[:space:]]*) die "DIR must not contain whitespace: $dir" ;; esac
    # One start per DIR at a time (fd 8 is closed for the server itself).
    exec 8>"$dir/.start.lock"
    flock 8

    pid=$(running_pid "$dir")
    if [ -n "$pid" ]; then
        local was
        was=$(running_port "$dir")
        [ "$was" = "$port" ] || die "the cluster in $dir is already running on port $was (pid $pid), not $port"
        echo "postgres: already running from $dir on 127.0.0.1:$port (pid $pid)"
        return 0
    fi
    port_open "$port" && die "127.0.0.1:$port is already in use"

    chown "$OS_USER" "$dir"
    as_user test -w "$dir" -a -x "$dir" \
        || die "user $OS_USER cannot use $dir: a parent folder is not accessible to it (chmod o+x the parents, or use another DIR)"

    if [ ! -f "$dir/data/PG_VERSION" ]; then
        [ -z "$(ls -A "$dir/data" 2>/dev/null)" ] \
            || die "$dir/data is not empty but is no PostgreSQL cluster: remove it to start afresh"
        local sync=
        [ "${PG_FAST:-0}" = 1 ] && sync=--no-sync
        # shellcheck disable=SC2086
        if ! (cd /tmp && as_user "$BIN/initdb" -D "$dir/data" -U "$SUPERUSER" --auth=trust \
                --encoding=UTF8 --locale=C $sync) >"$dir/initdb.log" 2>&1; then
            cat "$dir/initdb.log" >&2
            die "initdb failed (see above)"
        fi
    fi
    local want have
    want=$(pg_version); want=${want%%.*}
    have=$(cat "$dir/data/PG_VERSION")
    [ "$have" = "$want" ] || die "$dir/data is a PostgreSQL $have cluster but $BIN is PostgreSQL $want (set PG_BIN, or remove $dir)"

    sock=$(socket_dir "$dir")
    if [ "$sock" != "$dir" ]; then mkdir -p "$sock"; chown "$OS_USER" "$sock"; fi
    opts="-p $port -k $sock -c listen_addresses=127.0.0.1 -c max_connections=300"
    if [ "${PG_FAST:-0}" = 1 ]; then
        opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    fi
    opts="$opts ${PG_EXTRA_OPTS:-}"
    touch "$dir/postgres.log"
    chown "$OS_USER" "$dir/postgres.log"

    local timeout=${PG_START_TIMEOUT:-90}
    if ! (cd /tmp && as_user "$BIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -o "$opts" \
            -w -t "$timeout" start) >/dev/null 2>"$dir/pg_ctl.err" 8>&-; then
        cat "$dir/pg_ctl.err" >&2
        echo "---- last lines of $dir/postgres.log ----" >&2
        tail -n 30 "$dir/postgres.log" >&2 || true
        die "PostgreSQL did not start (see above)"
    fi
    rm -f "$dir/pg_ctl.err"

    local t0=$SECONDS
    until "$BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U "$SUPERUSER" -d postgres; do
        if [ $(( SECONDS - t0 )) -ge "$timeout" ]; then
            tail -n 30 "$dir/postgres.log" >&2 || true
            die "PostgreSQL is not accepting connections on 127.0.0.1:$port after ${timeout}s"
        fi
        sleep 0.2
    done
    pid=$(running_pid "$dir")
    local mode=
    [ "${PG_FAST:-0}" = 1 ] && mode=", PG_FAST: fsync off"
    echo "postgres: PostgreSQL $(pg_version) ready on 127.0.0.1:$port (pid $pid, data $dir$mode)"
}

# Wait until PID has exited and been reaped, at most TENTHS/10 s. (The postmaster
# refuses to start while the pid in a stale postmaster.pid still exists, even as
# a zombie, so a zombie only counts as gone when the wait runs out.)
wait_gone() {
    local i=0
    while kill -0 "$1" 2>/dev/null && [ "$i" -lt "$2" ]; do sleep 0.05; i=$(( i + 1 )); done
    ! kill -0 "$1" 2>/dev/null || [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" = Z ]
}

cmd_stop() {
    [ $# -eq 1 ] || die "usage: postgres.sh stop DIR"
    local dir pid
    [ -d "$1" ] || { echo "postgres: not running (no $1)"; return 0; }
    dir=$(abs_dir "$1")
    pid=$(running_pid "$dir")
    [ -n "$pid" ] || { echo "postgres: not running from $dir"; return 0; }
    need_bin
    pick_user "$dir"
    if ! (cd /tmp && as_user "$BIN/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop) >/dev/null 2>&1; then
        note "fast shutdown did not finish within 60 s: immediate shutdown"
        (cd /tmp && as_user "$BIN/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop) >/dev/null 2>&1 || true
    fi
    wait_gone "$pid" 200 || die "PostgreSQL (pid $pid) is still running"
    echo "postgres: stopped (pid $pid, data $dir)"
}

cmd_kill() {
    [ $# -eq 1 ] || die "usage: postgres.sh kill DIR"
    local dir pid kids k
    [ -d "$1" ] || { echo "postgres: not running (no $1)"; return 0; }
    dir=$(abs_dir "$1")
    pid=$(running_pid "$dir")
    [ -n "$pid" ] || { echo "postgres: not running from $dir"; return 0; }
    # Like a machine crash: the postmaster and every backend die at once.
    kids=$(cat "/proc/$pid/task/$pid/children" 2>/dev/null || true)
    # shellcheck disable=SC2086  # $kids is a list of pids
    kill -KILL "$pid" $kids 2>/dev/null || true
    for k in $pid $kids; do wait_gone "$k" 200 || die "process $k survived SIGKILL"; done
    echo "postgres: killed (SIGKILL, pid $pid and its backends, data $dir)"
}

cmd_status() {
    [ $# -eq 1 ] || die "usage: postgres.sh status DIR"
    local dir pid
    [ -d "$1" ] || { echo "postgres: not running (no $1)"; return 3; }
    dir=$(abs_dir "$1")
    pid=$(running_pid "$dir")
    if [ -n "$pid" ]; then
        echo "postgres: running from $dir on 127.0.0.1:$(running_port "$dir") (pid $pid)"
        return 0
    fi
    echo "postgres: not running from $dir"
    return 3
}

cmd_createdb() {
    [ $# -eq 3 ] || die "usage: postgres.sh createdb DIR PORT NAME"
    local dir port=$2 name=$3 exists
    check_port_arg "$port" 65535
    [[ "$name" =~ ^[a-z_][a-z0-9_]{0,62}$ ]] \
        || die "database name must match [a-z_][a-z0-9_]* (at most 63 chars), got '$name'"
    dir=$(abs_dir "$1")
    [ -n "$(running_pid "$dir")" ] || die "no cluster running from $dir: run postgres.sh start $dir $port first"
    need_bin
    local conn=(-h 127.0.0.1 -p "$port" -U "$SUPERUSER")
    exists=$("$BIN/psql" "${conn[@]}" -d postgres -XtAq -v ON_ERROR_STOP=1 \
        -c "SELECT 1 FROM pg_database WHERE datname = '$name'") \
        || die "cannot query 127.0.0.1:$port as $SUPERUSER"
    if [ "$exists" != 1 ]; then
        local err
        if ! err=$("$BIN/createdb" "${conn[@]}" -O "$SUPERUSER" "$name" 2>&1); then
            # A concurrent createdb may have won the race: that's fine.
            exists=$("$BIN/psql" "${conn[@]}" -d postgres -XtAq \
                -c "SELECT 1 FROM pg_database WHERE datname = '$name'" || true)
            [ "$exists" = 1 ] || die "createdb $name failed: $err"
        fi
    fi
}

[ $# -ge 1 ] || usage
sub=$1; shift
case "$sub" in
    install) [ $# -eq 0 ] || die "usage: postgres.sh install"; cmd_install ;;
    start) cmd_start "$@" ;;
    stop) cmd_stop "$@" ;;
    kill) cmd_kill "$@" ;;
    status) cmd_status "$@" ;;
    createdb) cmd_createdb "$@" ;;
    -h|--help|help) usage ;;
    *) note "unknown command: $sub"; usage ;;
esac
