#!/usr/bin/env bash
# `make run-distributed`: real PostgreSQL and Kafka on loopback (no Docker), then each
# service as its own processes: the API, and a worker running its outbox relay and consumers.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh infra
PG_PORT="${CRS_DEV_PG_PORT:-55432}"
KAFKA_PORT="${CRS_DEV_KAFKA_PORT:-19092}"
bash deploy/local/infra.sh up dev
mkdir -p var/dev/logs
pids=()
cleanup() {
  echo "stopping services..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait || true
  bash deploy/local/infra.sh down dev || true
}
trap cleanup EXIT
trap "exit 130" INT TERM

for svc in referrals providers contracts notifications; do
  P=${svc^^}
  bash deploy/local/postgres.sh createdb var/dev/pg "$PG_PORT" "crs_${svc}"
  export "${P}_DATABASE_URL=postgresql+asyncpg://crs@127.0.0.1:${PG_PORT}/crs_${svc}"
  export "${P}_TRANSPORT=kafka" "${P}_KAFKA_BOOTSTRAP=127.0.0.1:${KAFKA_PORT}" "${P}_MIGRATE_ON_START=false"
  .venv/bin/python -m "$svc" migrate
  env "${P}_RUN_WORKERS=false" .venv/bin/python -m "$svc" api >"var/dev/logs/${svc}-api.log" 2>&1 &
  pids+=($!)
  .venv/bin/python -m "$svc" worker >"var/dev/logs/${svc}-worker.log" 2>&1 &
  pids+=($!)
done

for port in 8001 8002 8003 8004; do
  for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:${port}/health/ready" >/dev/null 2>&1 && break
    sleep 0.5
  done
done
echo "CRS platform running distributed (PostgreSQL 127.0.0.1:${PG_PORT}, Kafka 127.0.0.1:${KAFKA_PORT}); logs in var/dev/logs"
for pair in referrals:8001 providers:8002 contracts:8003 notifications:8004; do
  echo "  ${pair%%:*}  http://127.0.0.1:${pair##*:}  ($(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${pair##*:}/health/ready"))"
done
echo "Ctrl-C stops everything."
wait
