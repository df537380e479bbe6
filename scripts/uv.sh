#!/usr/bin/env bash
# uv as installed by scripts/setup.sh (on PATH, or as a module of this python3).
if command -v uv >/dev/null 2>&1; then exec uv "$@"; fi
exec python3 -m uv "$@"
