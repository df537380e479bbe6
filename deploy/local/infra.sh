#!/usr/bin/env bash
# Real PostgreSQL + Apache Kafka for one named environment, on loopback.
#
#   infra.sh up ENVNAME       start both (data under <repo>/var/ENVNAME/{pg,kafka})
#   infra.sh down ENVNAME     stop both
#   infra.sh status ENVNAME   exit 0 if both run, 3 otherwise
#
# Ports: PG_PORT and KAFKA_PORT (Kafka's controller uses KAFKA_PORT+1), defaulting
#   dev:  PG 55432, Kafka 19092
#   test: PG 56432, Kafka 29092
# other names need both set. PG_DATABASES="a b c" also creates those databases.
# See postgres.sh and kafka.sh for the rest of their environment (PG_FAST, ...).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)

die() { echo "infra: error: $*" >&2; exit 1; }
usage() {
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2
    exit 2
}

[ $# -eq 2 ] || usage
cmd=$1 env=$2
[[ "$env" =~ ^[A-Za-z0-9_-]+$ ]] || die "ENVNAME must be letters, digits, _ or -, got '$env'"
base="$ROOT/var/$env"

case "$env" in
    dev)  pg_port=${PG_PORT:-55432}; kafka_port=${KAFKA_PORT:-19092} ;;
    test) pg_port=${PG_PORT:-56432}; kafka_port=${KAFKA_PORT:-29092} ;;
    *)    pg_port=${PG_PORT:-}; kafka_port=${KAFKA_PORT:-} ;;
esac

case "$cmd" in
    up)
        [ -n "$pg_port" ] && [ -n "$kafka_port" ] \
            || die "no default ports for env '$env': set PG_PORT and KAFKA_PORT"
        "$HERE/postgres.sh" start "$base/pg" "$pg_port"
        for db in ${PG_DATABASES:-}; do
            "$HERE/postgres.sh" createdb "$base/pg" "$pg_port" "$db"
        done
        "$HERE/kafka.sh" start "$base/kafka" "$kafka_port"
        ;;
    down)
        rc=0
        "$HERE/kafka.sh" stop "$base/kafka" || rc=1
        "$HERE/postgres.sh" stop "$base/pg" || rc=1
        exit $rc
        ;;
    status)
        rc=0
        "$HERE/postgres.sh" status "$base/pg" || rc=3
        "$HERE/kafka.sh" status "$base/kafka" || rc=3
        exit $rc
        ;;
    *) usage ;;
esac
