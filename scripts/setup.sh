#!/usr/bin/env bash
# Installs what the project needs on a fresh machine; quick and offline once done.
#   setup.sh          Python environment (uv + the locked workspace)
#   setup.sh infra    also PostgreSQL (Debian package) and the Kafka broker jars (Maven Central)
#   setup.sh test     also Debian's chromium for the dashboard browser test
set -euo pipefail
cd "$(dirname "$0")/.."
want="${1:-python}"

if ! command -v uv >/dev/null 2>&1 && ! python3 -m uv --version >/dev/null 2>&1; then
  echo "setup: installing uv (Python package manager) from PyPI"
  python3 -m pip install --quiet --disable-pip-version-check uv
fi
bash scripts/uv.sh sync --frozen --quiet

if [[ "$want" == infra || "$want" == test ]]; then
  bash deploy/local/postgres.sh install
  bash deploy/local/kafka.sh fetch
fi
if [[ "$want" == test ]] && ! command -v chromium >/dev/null 2>&1; then
  echo "setup: installing Debian's chromium for the browser tests"
  if ! (apt-get install -y -qq chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)); then
    echo "setup: could not install chromium; browser tests will be skipped" >&2
  fi
fi
