"""The one command-line shape of every service: `python -m <service> api|worker|migrate|openapi`."""
from __future__ import annotations

import argparse
import asyncio
import json
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import uvicorn

from crs_shared.logs import configure_logging
from crs_shared.migrations import upgrade


def main(
    service: str,
    settings_cls: type,
    create_app: Callable[[Any], Any],
    build_runtime: Callable[[Any], Any],
    migrations_dir: Path,
) -> None:
    parser = argparse.ArgumentParser(prog=f"python -m {service}")
    parser.add_argument("command", choices=["api", "worker", "migrate", "openapi"])
    args = parser.parse_args()
    settings = settings_cls()
    configure_logging(service, settings.log_level)
    if args.command == "api":
        uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_config=None)
    elif args.command == "worker":
        asyncio.run(_run_worker(build_runtime(settings)))
    elif args.command == "migrate":
        asyncio.run(upgrade(migrations_dir, settings.database_url))
    else:
        print(json.dumps(create_app(settings).openapi(), indent=2))


async def _run_worker(runtime: Any) -> None:
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await runtime.start(run_workers=True)
    try:
        await stop.wait()
    finally:
        await runtime.stop()
