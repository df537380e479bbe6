"""INSERT ... ON CONFLICT for whichever database the session is bound to."""
from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession


def insert(session: AsyncSession, table: Table) -> Any:
    return (pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert)(table)


_built: dict[tuple[str, Hashable], Any] = {}


def reused(session: AsyncSession, key: Hashable, build: Callable[[Callable[[Table], Any]], Any]) -> Any:
    """A statement built once per database dialect, then executed with parameters.

    On the consumer's hot path: SQLAlchemy memoizes a statement object's cache key, so reusing
    it skips rebuilding, coercing and re-keying the statement on every event."""
    dialect = session.bind.dialect.name
    statement = _built.get((dialect, key))
    if statement is None:
        statement = _built[(dialect, key)] = build(pg_insert if dialect == "postgresql" else sqlite_insert)
    return statement
