"""Each service's migrations build exactly the schema its code declares, on PostgreSQL
and on SQLite (the embedded default)."""
from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.ext.asyncio import create_async_engine

from crs_shared.migrations import upgrade
from tests.harness import SERVICES, create_database

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]
ROOT = Path(__file__).resolve().parents[2]


def _differences(connection, metadata) -> list:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return compare_metadata(context, metadata)


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
@pytest.mark.parametrize("service", SERVICES)
async def test_migrations_match_the_tables_in_code(service, backend, request, tmp_path):
    if backend == "postgresql":
        url = await create_database(request.getfixturevalue("infra"), f"mig_{service}")
    else:
        url = f"sqlite+aiosqlite:///{tmp_path}/{service}.db"
    await upgrade(ROOT / "services" / service / "migrations", url)
    await upgrade(ROOT / "services" / service / "migrations", url)  # a second run is a no-op
    metadata = importlib.import_module(f"{service}.adapters.tables").metadata
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            diff = await conn.run_sync(_differences, metadata)
    finally:
        await engine.dispose()
    assert diff == [], f"{service} migrations differ from its tables on {backend}: {diff}"
