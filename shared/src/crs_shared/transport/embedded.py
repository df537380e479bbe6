"""Embedded transport: a durable event log in one SQLite file, for the single-process default.

Same semantics as Kafka: publishing appends to the log and returns once committed;
each consumer group keeps a committed offset per topic and is redelivered everything
after it, so a crash between handling and committing replays rather than loses.
One partition per topic, so order is total.
"""
from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from pathlib import Path

from sqlalchemy import Column, Integer, MetaData, String, Table, Text, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncEngine

from crs_shared.db import create_engine, utcnow, UTCDateTime
from crs_shared.transport.base import IncomingMessage, OutgoingMessage, TopicPrefix

_metadata = MetaData()
_log = Table(
    "event_log",
    _metadata,
    Column("offset", Integer, primary_key=True, autoincrement=True),
    Column("topic", String(200), nullable=False, index=True),
    Column("key", String(200)),
    Column("value", Text, nullable=False),
    Column("headers", Text, nullable=False),
    Column("appended_at", UTCDateTime, nullable=False),
)
_offsets = Table(
    "consumer_offsets",
    _metadata,
    Column("group_id", String(200), primary_key=True),
    Column("topic", String(200), primary_key=True),
    Column("offset", Integer, nullable=False),
)

# Wake-ups for subscribers in this process, per log file: a hint only; they also poll.
_waiters: dict[str, set[asyncio.Event]] = defaultdict(set)


class EmbeddedPublisher:
    def __init__(self, transport: EmbeddedTransport) -> None:
        self.transport = transport

    async def publish(self, messages: list[OutgoingMessage]) -> None:
        now = utcnow()
        async with self.transport.engine.begin() as conn:
            await conn.execute(
                _log.insert(),
                [
                    {"topic": self.transport.topic(m.topic), "key": m.key, "value": m.value.decode(),
                     "headers": json.dumps(m.headers), "appended_at": now}
                    for m in messages
                ],
            )
        for waiter in _waiters[self.transport.path]:
            waiter.set()


class EmbeddedSubscriber:
    def __init__(self, transport: EmbeddedTransport, group_id: str, topics: list[str]) -> None:
        self.transport = transport
        self.group_id = transport.topic(group_id)
        self.topics = [transport.topic(t) for t in topics]
        self._position: int | None = None
        self._wakeup = asyncio.Event()

    async def start(self) -> None:
        _waiters[self.transport.path].add(self._wakeup)

    async def stop(self) -> None:
        _waiters[self.transport.path].discard(self._wakeup)

    async def _committed(self) -> int:
        async with self.transport.engine.connect() as conn:
            rows = (
                await conn.execute(
                    select(_offsets.c.offset).where(
                        _offsets.c.group_id == self.group_id, _offsets.c.topic.in_(self.topics)
                    )
                )
            ).scalars().all()
        # One log for all topics: the group's position is the lowest committed one.
        return min(rows) if len(rows) == len(self.topics) else 0

    async def poll(self, max_records: int, timeout_s: float) -> list[IncomingMessage]:
        if self._position is None:
            self._position = await self._committed()
        records = await self._fetch(max_records)
        if not records:
            self._wakeup.clear()
            try:
                await asyncio.wait_for(self._wakeup.wait(), timeout_s)
            except TimeoutError:
                pass
            records = await self._fetch(max_records)
        if records:
            self._position = records[-1].offset
        return records

    async def _fetch(self, max_records: int) -> list[IncomingMessage]:
        async with self.transport.engine.connect() as conn:
            rows = (
                await conn.execute(
                    select(_log)
                    .where(_log.c.offset > self._position, _log.c.topic.in_(self.topics))
                    .order_by(_log.c.offset)
                    .limit(max_records)
                )
            ).all()
        return [
            IncomingMessage(
                topic=self.transport.unprefixed(r.topic), partition=0, offset=r.offset, key=r.key,
                value=r.value.encode(), headers=json.loads(r.headers),
            )
            for r in rows
        ]

    async def commit(self, messages: list[IncomingMessage]) -> None:
        if not messages:
            return
        upto = max(m.offset for m in messages)
        async with self.transport.engine.begin() as conn:
            for topic in self.topics:
                stmt = sqlite_insert(_offsets).values(group_id=self.group_id, topic=topic, offset=upto)
                await conn.execute(
                    stmt.on_conflict_do_update(
                        index_elements=["group_id", "topic"], set_={"offset": stmt.excluded.offset}
                    )
                )


class EmbeddedTransport(TopicPrefix):
    name = "embedded"

    def __init__(self, path: str, *, topic_prefix: str = "") -> None:
        self.path = str(Path(path).resolve())
        self.prefix = topic_prefix
        self._engine: AsyncEngine | None = None

    @property
    def engine(self) -> AsyncEngine:
        if self._engine is None:
            raise RuntimeError("embedded transport not started")
        return self._engine

    async def start(self) -> None:
        if self._engine is None:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self._engine = create_engine(f"sqlite+aiosqlite:///{self.path}")
            async with self._engine.begin() as conn:
                await conn.run_sync(_metadata.create_all)

    async def stop(self) -> None:
        if self._engine is not None:
            await self._engine.dispose()
            self._engine = None

    async def ensure_topics(self, topics: list[str]) -> None:
        await self.start()  # topics need no set-up in the log

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(select(1))

    def publisher(self) -> EmbeddedPublisher:
        return EmbeddedPublisher(self)

    def subscriber(self, group_id: str, topics: list[str]) -> EmbeddedSubscriber:
        return EmbeddedSubscriber(self, group_id, topics)
