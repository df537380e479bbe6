# Helpers shared by postgres.sh and kafka.sh (sourced; each script defines die() first).

abs_dir() {  # abs_dir DIR [create]
    if [ "${2:-}" = create ]; then mkdir -p "$1"; fi
    [ -d "$1" ] || die "no such directory: $1"
    (cd "$1" && pwd)
}

check_port_arg() {  # check_port_arg PORT MAX
    case "$1" in ''|*[!0-9]*) die "PORT must be a number, got '$1'" ;; esac
    [ "$1" -ge 1024 ] && [ "$1" -le "$2" ] || die "PORT must be in 1024..$2, got $1"
}

port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }
