from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from crs_shared import db
from crs_shared.inbox import inbox_table
from crs_shared.outbox import outbox_table

metadata = db.new_metadata()
outbox = outbox_table(metadata)
inbox = inbox_table(metadata)


@pytest_asyncio.fixture(loop_scope="session")
async def sessions(tmp_path: Path) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = db.create_engine(f"sqlite+aiosqlite:///{tmp_path}/svc.db")
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    yield db.session_factory(engine)
    await engine.dispose()
