"""`python -m providers import FILE [--url URL --token TOKEN]`: bulk-load a catalogue file.

With --url the file goes through a running service's API (POST /v1/catalogue/imports,
with an admin token). Without it the file is imported straight into the database named
by PROVIDERS_DATABASE_URL; its events wait in the outbox until the service's relay runs.
"""
from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path
from typing import Any

import httpx

from crs_shared import db
from crs_shared.migrations import upgrade
from crs_shared.outbox import Outbox

from providers.adapters.tables import outbox_messages
from crs_shared.web.uploads import file_format
from providers.service.imports import ImportRejected, import_catalogue
from providers.service.uow import CatalogueUoW
from providers.settings import Settings


def _print(body: Any) -> None:
    print(json.dumps(body, indent=2, default=str))


def _via_api(path: Path, url: str, token: str) -> int:
    fmt = file_format("", path.name)
    response = httpx.post(
        url.rstrip("/") + "/v1/catalogue/imports", content=path.read_bytes(), timeout=120,
        headers={"Authorization": f"Bearer {token}", "Content-Type": f"application/{fmt}" if fmt == "json" else "text/csv"},
    )
    _print(response.json())
    return 0 if response.status_code == 201 else 1


async def _direct(path: Path, migrations_dir: Path) -> int:
    settings = Settings()
    await upgrade(migrations_dir, settings.database_url)
    engine = db.create_engine(settings.database_url, pool_size=2)
    try:
        uow = CatalogueUoW(db.session_factory(engine), Outbox(outbox_messages), "providers")
        result = await import_catalogue(uow, path.read_bytes(), file_format("", path.name))
    except ImportRejected as exc:
        _print({"imported": False, "errors": [e.as_dict() for e in exc.errors]})
        return 1
    finally:
        await engine.dispose()
    _print({"imported": True, "providers": result.providers,
            "interventions": [{"row": r, "id": i, "contract_reference": c} for r, i, c in result.interventions]})
    return 0


def main(argv: list[str], migrations_dir: Path) -> int:
    parser = argparse.ArgumentParser(prog="python -m providers import")
    parser.add_argument("file", type=Path, help="a catalogue .json or .csv file")
    parser.add_argument("--url", help="base URL of a running providers service (else: straight to the database)")
    parser.add_argument("--token", help="an admin bearer token, with --url")
    args = parser.parse_args(argv)
    if not args.file.is_file():
        parser.error(f"no such file: {args.file}")
    if args.url:
        if not args.token:
            parser.error("--url needs --token (an admin token)")
        return _via_api(args.file, args.url, args.token)
    return asyncio.run(_direct(args.file, migrations_dir))
