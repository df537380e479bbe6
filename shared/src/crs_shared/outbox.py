"""Transactional outbox: events are rows written in the same transaction as the change.

`OutboxRelay` publishes unpublished rows in id order, a batch at a time. Two relays may
run: rows are claimed with FOR UPDATE SKIP LOCKED, and a relay leaves alone any row whose
key has an earlier unpublished row claimed by the other, so one aggregate's events are
published in the order they were written.
"""
from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass

from sqlalchemy import Column, Index, MetaData, String, Table, Text, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from crs_shared.db import BigIntPK, UTCDateTime, utcnow
from crs_shared.events.envelope import EventEnvelope, registry
from crs_shared.transport.base import OutgoingMessage, Publisher

log = logging.getLogger(__name__)


def outbox_table(metadata: MetaData) -> Table:
    table = Table(
        "outbox_messages",
        metadata,
        Column("id", BigIntPK, primary_key=True, autoincrement=True),
        Column("event_id", String(36), nullable=False, unique=True),
        Column("topic", String(200), nullable=False),
        Column("key", String(200), nullable=False),
        Column("event_type", String(200), nullable=False),
        Column("payload", Text, nullable=False),
        Column("created_at", UTCDateTime, nullable=False, default=utcnow),
        Column("published_at", UTCDateTime, nullable=True),
    )
    Index(
        "ix_outbox_messages_unpublished",
        table.c.id,
        postgresql_where=table.c.published_at.is_(None),
        sqlite_where=table.c.published_at.is_(None),
    )
    Index(
        "ix_outbox_messages_unpublished_key",
        table.c.key,
        table.c.id,
        postgresql_where=table.c.published_at.is_(None),
        sqlite_where=table.c.published_at.is_(None),
    )
    return table


class Outbox:
    """Adds events to the caller's open transaction. Never commits."""

    def __init__(self, table: Table) -> None:
        self.table = table

    async def add(self, session: AsyncSession, *events: EventEnvelope) -> None:
        if not events:
            return
        rows = []
        for envelope in events:
            topic = registry.get(envelope.type, envelope.version).topic
            rows.append(
                {
                    "event_id": str(envelope.event_id),
                    "topic": topic,
                    "key": envelope.key,
                    "event_type": envelope.type,
                    "payload": envelope.model_dump_json(),
                    "created_at": utcnow(),
                }
            )
        await session.execute(self.table.insert(), rows)


@dataclass
class RelaySettings:
    batch_size: int = 500
    send_timeout_s: float = 10.0
    idle_poll_s: float = 0.05
    error_backoff_s: float = 1.0


class OutboxRelay:
    def __init__(
        self,
        table: Table,
        sessions: async_sessionmaker[AsyncSession],
        publisher: Publisher,
        settings: RelaySettings | None = None,
    ) -> None:
        self.table = table
        self.sessions = sessions
        self.publisher = publisher
        self.settings = settings or RelaySettings()
        self.published_total = 0

    async def publish_batch(self) -> int:
        """Publish one batch; returns how many rows were published (0 when idle)."""
        t = self.table
        async with self.sessions() as session, session.begin():
            rows = (
                await session.execute(
                    select(t.c.id, t.c.topic, t.c.key, t.c.event_type, t.c.event_id, t.c.payload)
                    .where(t.c.published_at.is_(None))
                    .order_by(t.c.id)
                    .limit(self.settings.batch_size)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            if not rows:
                return 0
            rows = await self._without_keys_held_elsewhere(session, rows)
            if not rows:
                return 0
            messages = [
                OutgoingMessage(
                    topic=r.topic,
                    key=r.key,
                    value=r.payload.encode(),
                    headers={"event_type": r.event_type, "event_id": r.event_id,
                             "correlation_id": json.loads(r.payload).get("correlation_id") or ""},
                )
                for r in rows
            ]
            # A hung send must not hold the rows: on timeout this raises, the transaction
            # rolls back and the rows stay unpublished for the next attempt.
            await asyncio.wait_for(self.publisher.publish(messages), self.settings.send_timeout_s)
            await session.execute(
                update(t).where(t.c.id.in_([r.id for r in rows])).values(published_at=utcnow())
            )
        self.published_total += len(rows)
        return len(rows)

    async def _without_keys_held_elsewhere(self, session: AsyncSession, rows: list) -> list:
        if session.bind.dialect.name == "sqlite":
            return rows  # one writer at a time: nothing can be held elsewhere
        t = self.table
        ids = [r.id for r in rows]
        held = set(
            (
                await session.execute(
                    select(t.c.key)
                    .distinct()
                    .where(
                        t.c.published_at.is_(None),
                        t.c.key.in_({r.key for r in rows}),
                        t.c.id < max(ids),
                        t.c.id.not_in(ids),
                    )
                )
            ).scalars()
        )
        return [r for r in rows if r.key not in held]

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                published = await self.publish_batch()
            except Exception as exc:  # broker down, send timed out: rows stay, try again
                log.warning("outbox relay could not publish: %r", exc)
                await _sleep_or_stop(stop, self.settings.error_backoff_s)
                continue
            if published < self.settings.batch_size:
                await _sleep_or_stop(stop, self.settings.idle_poll_s)


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except TimeoutError:
        pass
