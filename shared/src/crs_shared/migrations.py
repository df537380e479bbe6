"""Alembic, one migration history per service, on PostgreSQL and SQLite alike.

Each service's `migrations/env.py` calls `run_env(metadata)`; `upgrade()` applies a
service's migrations from code (start-up, scripts, the test harness).
"""
from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine


def alembic_config(migrations_dir: Path, url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


# Alembic keeps its `context` and `op` proxies in module globals: one upgrade at a time
# per process (the embedded default starts four services in one).
_alembic_lock = threading.Lock()


def _upgrade_sync(migrations_dir: Path, url: str) -> None:
    with _alembic_lock:
        _upgrade_locked(migrations_dir, url)


def _upgrade_locked(migrations_dir: Path, url: str) -> None:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(migrations_dir, url), "head")


async def upgrade(migrations_dir: Path, url: str) -> None:
    # Alembic's env runs its own event loop; keep it off ours.
    await asyncio.to_thread(_upgrade_sync, migrations_dir, url)


def run_env(target_metadata: MetaData) -> None:
    """Body of every service's migrations/env.py."""
    url = context.config.get_main_option("sqlalchemy.url")
    render_as_batch = url.startswith("sqlite")  # ALTER TABLE support on SQLite

    def do_run(connection: Connection) -> None:
        context.configure(
            connection=connection, target_metadata=target_metadata, render_as_batch=render_as_batch,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()

    if context.is_offline_mode():
        context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return

    async def run_online() -> None:
        engine = create_async_engine(url, poolclass=pool.NullPool)
        async with engine.connect() as connection:
            await connection.run_sync(do_run)
            await connection.commit()
        await engine.dispose()

    asyncio.run(run_online())


def create_messaging_tables() -> None:
    """Migration step: the outbox and inbox tables, as every service's first migration creates them.

    Frozen: a later change to these tables is a new migration step, never an edit here.
    """
    import sqlalchemy as sa
    from alembic import op

    from crs_shared.db import BigIntPK, UTCDateTime

    op.create_table(
        "inbox_messages",
        sa.Column("consumer", sa.String(length=200), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("event_type", sa.String(length=200), nullable=False),
        sa.Column("processed_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("consumer", "event_id", name=op.f("pk_inbox_messages")),
    )
    op.create_table(
        "outbox_messages",
        sa.Column("id", BigIntPK, autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("event_type", sa.String(length=200), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("published_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_messages")),
        sa.UniqueConstraint("event_id", name=op.f("uq_outbox_messages_event_id")),
    )
    unpublished = sa.text("published_at IS NULL")
    op.create_index("ix_outbox_messages_unpublished", "outbox_messages", ["id"],
                    postgresql_where=unpublished, sqlite_where=unpublished)
    op.create_index("ix_outbox_messages_unpublished_key", "outbox_messages", ["key", "id"],
                    postgresql_where=unpublished, sqlite_where=unpublished)


def drop_messaging_tables() -> None:
    from alembic import op

    op.drop_index("ix_outbox_messages_unpublished_key", table_name="outbox_messages")
    op.drop_index("ix_outbox_messages_unpublished", table_name="outbox_messages")
    op.drop_table("outbox_messages")
    op.drop_table("inbox_messages")
