"""INSERT ... ON CONFLICT for whichever database the session is bound to."""
from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession


def insert(session: AsyncSession, table: Table) -> Any:
    return (pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert)(table)
