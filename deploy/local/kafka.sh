#!/usr/bin/env bash
# Real Apache Kafka broker (single-node KRaft) on loopback, without Docker.
#
#   kafka.sh fetch              download the broker jars once into var/kafka/libs
#   kafka.sh start DIR PORT     start a broker with data in DIR, PLAINTEXT on
#                               127.0.0.1:PORT, controller on 127.0.0.1:PORT+1;
#                               waits until ready (fetches the jars if needed)
#   kafka.sh stop DIR           SIGTERM, wait up to 30 s, then SIGKILL
#   kafka.sh kill DIR           SIGKILL now (crash tests)
#   kafka.sh status DIR         exit 0 if running, 3 if not
#
# DIR holds kafka.pid, kafka.log (previous run: kafka.log.1), server.properties,
# kafka.port, cluster.id and data/. A DIR is bound to the PORT it was formatted
# with (the controller endpoint is written into the KRaft metadata).
#
# Environment (all optional):
#   KAFKA_LIBS            jar folder, owned by this script: fetch replaces it
#                         (default: <repo>/var/kafka/libs)
#   KAFKA_HEAP_OPTS       default: -Xms256m -Xmx768m
#   KAFKA_JVM_OPTS        extra JVM options
#   KAFKA_LOG_LEVEL       root log level in kafka.log (default WARN)
#   KAFKA_START_TIMEOUT   seconds to wait for readiness (default 90)
#   KAFKA_EXTRA_CONFIG    extra server.properties lines (key=value, newline separated)
#
# Needs Java 17+ (and Maven for fetch only); as root, missing ones are installed
# from Debian's packages.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
POM="$HERE/kafka/pom.xml"
LOG4J_CONF="$HERE/kafka/log4j2.properties"
LIBS=${KAFKA_LIBS:-$ROOT/var/kafka/libs}
MARKER="$LIBS/.fetched"
READY_LINE='Kafka Server started'

die() { echo "kafka: error: $*" >&2; exit 1; }
note() { echo "kafka: $*" >&2; }
# shellcheck source=lib.sh
source "$HERE/lib.sh"

usage() {
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2
    exit 2
}

apt_install() {  # apt_install PKG... (root only)
    [ "$(id -u)" = 0 ] || die "$1 is missing and we are not root: install it ($*) and retry"
    command -v apt-get >/dev/null || die "$1 is missing and there is no apt-get: install it and retry"
    note "installing $* from Debian's packages ..."
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends "$@"; } >/dev/null \
        || die "apt-get install $* failed"
}

need_java() {
    command -v java >/dev/null || apt_install openjdk-17-jre-headless
    local v
    v=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1)
    [ -n "$v" ] && [ "$v" -ge 17 ] || die "Java 17+ is required (found: $(java -version 2>&1 | head -n1))"
}

pom_sum() { sha256sum "$POM" | cut -d' ' -f1; }

fetched() { [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$(pom_sum)" ]; }

cmd_fetch() {
    fetched && return 0
    need_java
    command -v mvn >/dev/null || apt_install maven
    mkdir -p "$(dirname "$LIBS")"
    # One fetch at a time (parallel test workers may all call start).
    exec 9>"$(dirname "$LIBS")/.fetch.lock"
    flock 9
    fetched && { exec 9>&-; return 0; }
    local tmp="$LIBS.tmp.$$"
    rm -rf "$tmp"
    note "fetching the Kafka broker jars from Maven Central (once) ..."
    if ! mvn -B -q -f "$POM" \
            org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
            -DincludeScope=runtime -DoutputDirectory="$tmp" >"$tmp.mvn.log" 2>&1; then
        tail -n 40 "$tmp.mvn.log" >&2
        rm -rf "$tmp" "$tmp.mvn.log"
        die "maven could not fetch the broker jars (see above)"
    fi
    rm -f "$tmp.mvn.log"
    ls "$tmp"/kafka_2.13-*.jar >/dev/null 2>&1 || { rm -rf "$tmp"; die "fetch produced no kafka_2.13 jar"; }
    rm -rf "$LIBS"
    mv "$tmp" "$LIBS"
    pom_sum >"$MARKER"
    note "$(ls "$LIBS"/*.jar | wc -l) jars, $(du -sh "$LIBS" | cut -f1) in $LIBS"
    exec 9>&-
}

kafka_version() {
    local j
    j=$(ls "$LIBS"/kafka_2.13-*.jar 2>/dev/null | head -n1)
    j=${j##*/kafka_2.13-}
    echo "${j%.jar}"
}


# Pid of the broker running from DIR, or nothing. Guards against pid reuse and
# zombies by checking the command line (a zombie's is empty).
running_pid() {
    local dir=$1 pid
    [ -f "$dir/kafka.pid" ] || return 0
    pid=$(cat "$dir/kafka.pid" 2>/dev/null || true)
    case "$pid" in ''|*[!0-9]*) return 0 ;; esac
    kill -0 "$pid" 2>/dev/null || return 0
    if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "kafka.Kafka $dir/server.properties"; then
        echo "$pid"
    fi
}

# True while PID exists and is not a finished zombie. When a multi-threaded JVM
# is killed its main thread turns Z first while the other threads (and the
# listening sockets) linger a moment: only a Z leader with no other thread is gone.
pid_alive() {
    kill -0 "$1" 2>/dev/null || return 1
    [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ] && return 0
    [ "$(ls "/proc/$1/task" 2>/dev/null | wc -l)" -gt 1 ]
}

# wait_gone PID TENTHS: wait until PID is gone, at most TENTHS/10 seconds.
wait_gone() {
    local i=0
    while pid_alive "$1" && [ "$i" -lt "$2" ]; do sleep 0.1; i=$(( i + 1 )); done
    ! pid_alive "$1"
}



write_config() {  # write_config DIR PORT
    local dir=$1 port=$2 cport=$(( $2 + 1 ))
    cat >"$dir/server.properties" <<EOF
# Written by deploy/local/kafka.sh on every start; edits here are overwritten.
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$dir/data
num.partitions=3
default.replication.factor=1
min.insync.replicas=1
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=3
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=2
num.recovery.threads.per.data.dir=1
# After a crash (kill -9) the restarted broker cannot register until the old
# incarnation's session expires (default 9 s, a 10 s restart). One node, one JVM:
# a short session is safe and makes crash-restart take ~5 s.
broker.session.timeout.ms=3000
broker.heartbeat.interval.ms=1000
EOF
    if [ -n "${KAFKA_EXTRA_CONFIG:-}" ]; then
        printf '%s\n' "$KAFKA_EXTRA_CONFIG" >>"$dir/server.properties"
    fi
}

new_cluster_id() {  # same shape as Uuid.randomUuid(): 22 chars base64url, no leading '-'
    local id
    while :; do
        id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
        case "$id" in -*|AAAAAAAAAAAAAAAAAAAAA*) ;; *) echo "$id"; return ;; esac
    done
}

cmd_start() {
    [ $# -eq 2 ] || die "usage: kafka.sh start DIR PORT"
    local dir port cport pid
    check_port_arg "$2" 65534  # the controller listens on PORT+1
    port=$2; cport=$(( port + 1 ))
    dir=$(abs_dir "$1" create)
    # One start per DIR at a time (fd 8 is closed for the broker itself).
    exec 8>"$dir/.start.lock"
    flock 8

    pid=$(running_pid "$dir")
    if [ -n "$pid" ]; then
        local was
        was=$(cat "$dir/kafka.port" 2>/dev/null || echo '?')
        [ "$was" = "$port" ] || die "a broker from $dir is already running on port $was (pid $pid), not $port"
        echo "kafka: already running from $dir on 127.0.0.1:$port (pid $pid)"
        return 0
    fi
    rm -f "$dir/kafka.pid"

    if [ -f "$dir/data/meta.properties" ] && [ -f "$dir/kafka.port" ] \
            && [ "$(cat "$dir/kafka.port")" != "$port" ]; then
        die "$dir was formatted for port $(cat "$dir/kafka.port") (controller $(( $(cat "$dir/kafka.port") + 1 ))); start it on that port or remove the directory"
    fi
    port_open "$port" && die "127.0.0.1:$port is already in use"
    port_open "$cport" && die "127.0.0.1:$cport (controller port = PORT+1) is already in use"

    cmd_fetch
    need_java

    local cp="$LIBS/*"
    local log4j="-Dlog4j2.configurationFile=$LOG4J_CONF -Dcrs.kafka.log.level=${KAFKA_LOG_LEVEL:-WARN}"
    write_config "$dir" "$port"

    if [ ! -f "$dir/data/meta.properties" ]; then
        [ -z "$(ls -A "$dir/data" 2>/dev/null)" ] \
            || die "$dir/data is not empty but has no meta.properties: remove it to start afresh"
        local cid out
        cid=$(new_cluster_id)
        # shellcheck disable=SC2086
        if ! out=$(cd "$dir" && java -Xmx256m $log4j -cp "$cp" kafka.tools.StorageTool \
                format --standalone -t "$cid" -c "$dir/server.properties" 2>&1); then
            printf '%s\n' "$out" >&2
            die "formatting the KRaft storage in $dir/data failed"
        fi
        echo "$cid" >"$dir/cluster.id"
        echo "$port" >"$dir/kafka.port"
    fi
    [ -f "$dir/kafka.port" ] || echo "$port" >"$dir/kafka.port"

    [ -f "$dir/kafka.log" ] && mv -f "$dir/kafka.log" "$dir/kafka.log.1"
    # Job control is off in scripts, so the background job is not a process
    # group leader and setsid execs in place: $! is the JVM's pid. setsid keeps
    # the broker out of the caller's process group (a Ctrl-C there won't kill it).
    # shellcheck disable=SC2086
    (cd "$dir" && exec setsid java ${KAFKA_HEAP_OPTS:--Xms256m -Xmx768m} \
        -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError \
        -Djava.awt.headless=true ${KAFKA_JVM_OPTS:-} $log4j \
        -cp "$cp" kafka.Kafka "$dir/server.properties" \
        </dev/null >"$dir/kafka.log" 2>&1 8>&-) &
    pid=$!
    echo "$pid" >"$dir/kafka.pid"

    local timeout=${KAFKA_START_TIMEOUT:-90} t0=$SECONDS
    while :; do
        if ! pid_alive "$pid"; then
            rm -f "$dir/kafka.pid"
            echo "---- last lines of $dir/kafka.log ----" >&2
            tail -n 40 "$dir/kafka.log" >&2 || true
            die "the broker exited during start-up (see above)"
        fi
        if grep -qF "$READY_LINE" "$dir/kafka.log" 2>/dev/null && port_open "$port"; then
            break
        fi
        if [ $(( SECONDS - t0 )) -ge "$timeout" ]; then
            echo "---- last lines of $dir/kafka.log ----" >&2
            tail -n 40 "$dir/kafka.log" >&2 || true
            kill -KILL "$pid" 2>/dev/null || true
            wait_gone "$pid" 100 || true
            rm -f "$dir/kafka.pid"
            die "the broker was not ready after ${timeout}s (killed it; see above)"
        fi
        sleep 0.2
    done
    echo "kafka: Apache Kafka $(kafka_version) broker (KRaft) ready on 127.0.0.1:$port (pid $pid, data $dir)"
}

cmd_stop() {
    [ $# -eq 1 ] || die "usage: kafka.sh stop DIR"
    local dir pid
    [ -d "$1" ] || { echo "kafka: not running (no $1)"; return 0; }
    dir=$(abs_dir "$1")
    pid=$(running_pid "$dir")
    if [ -z "$pid" ]; then
        rm -f "$dir/kafka.pid"
        echo "kafka: not running from $dir"
        return 0
    fi
    kill -TERM "$pid" 2>/dev/null || true
    if ! wait_gone "$pid" 300; then
        note "broker (pid $pid) did not stop within 30 s: sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
        wait_gone "$pid" 100 || die "broker (pid $pid) survived SIGKILL"
    fi
    rm -f "$dir/kafka.pid"
    echo "kafka: stopped (pid $pid, data $dir)"
}

cmd_kill() {
    [ $# -eq 1 ] || die "usage: kafka.sh kill DIR"
    local dir pid
    [ -d "$1" ] || { echo "kafka: not running (no $1)"; return 0; }
    dir=$(abs_dir "$1")
    pid=$(running_pid "$dir")
    if [ -z "$pid" ]; then
        rm -f "$dir/kafka.pid"
        echo "kafka: not running from $dir"
        return 0
    fi
    kill -KILL "$pid" 2>/dev/null || true
    wait_gone "$pid" 100 || die "broker (pid $pid) survived SIGKILL"
    rm -f "$dir/kafka.pid"
    echo "kafka: killed (SIGKILL, pid $pid, data $dir)"
}

cmd_status() {
    [ $# -eq 1 ] || die "usage: kafka.sh status DIR"
    local dir pid
    [ -d "$1" ] || { echo "kafka: not running (no $1)"; return 3; }
    dir=$(abs_dir "$1")
    pid=$(running_pid "$dir")
    if [ -n "$pid" ]; then
        echo "kafka: running from $dir on 127.0.0.1:$(cat "$dir/kafka.port" 2>/dev/null || echo '?') (pid $pid)"
        return 0
    fi
    echo "kafka: not running from $dir"
    return 3
}

[ $# -ge 1 ] || usage
sub=$1; shift
case "$sub" in
    fetch) [ $# -eq 0 ] || die "usage: kafka.sh fetch"; cmd_fetch ;;
    start) cmd_start "$@" ;;
    stop) cmd_stop "$@" ;;
    kill) cmd_kill "$@" ;;
    status) cmd_status "$@" ;;
    -h|--help|help) usage ;;
    *) note "unknown command: $sub"; usage ;;
esac
