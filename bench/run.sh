#!/usr/bin/env bash
# `make bench`: every benchmark, each printing its figures and ratios against a baseline
# measured in the same run, on a real PostgreSQL and a real Kafka broker started here.
# Figures, not pass/fail: nothing here fails because the machine is slow.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh infra
trap 'bash deploy/local/infra.sh down test || true' EXIT
PG_FAST=1 bash deploy/local/infra.sh up test
export BENCH_PG_DSN="postgresql+asyncpg://crs@127.0.0.1:${PG_PORT:-56432}/postgres"
PY=".venv/bin/python"
for bench in bench/providers/bench_search.py bench/contracts/bench_contracts.py \
             bench/referrals/bench_referrals.py bench/notifications/bench_delivery.py; do
  echo "== $bench"
  $PY "$bench"
done
