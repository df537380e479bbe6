#!/usr/bin/env bash
# The whole suite: unit tests, then integration and end-to-end tests on a real
# PostgreSQL and a real Apache Kafka broker started here (and stopped at the end).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
# Ports of the test PostgreSQL and Kafka (change them to run beside another checkout's tests).
export CRS_TEST_PG_PORT="${CRS_TEST_PG_PORT:-56432}" CRS_TEST_KAFKA_PORT="${CRS_TEST_KAFKA_PORT:-29092}"
export PG_FAST=1 PG_PORT="$CRS_TEST_PG_PORT" KAFKA_PORT="$CRS_TEST_KAFKA_PORT"
trap 'bash deploy/local/infra.sh down test || true' EXIT
bash deploy/local/infra.sh up test

echo "== unit tests"
bash scripts/uv.sh run --frozen pytest -q -m "not integration and not e2e and not browser" shared/tests services "$@"
echo "== integration and end-to-end tests (real PostgreSQL, real Kafka)"
bash scripts/uv.sh run --frozen pytest -q tests "$@"
