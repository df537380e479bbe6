"""Idempotent consumers: the inbox row and the effect commit together, then the offset.

For each message: parse and validate the envelope; in one transaction insert
(consumer, event_id) into the inbox (a duplicate is skipped) and run the handler;
after N failed attempts, send the message with its error to the dead-letter topic.
Offsets are committed only after the message was handled, skipped or dead-lettered.

Messages of one poll are handled a few at a time in one transaction (fewer commits, the
same guarantees: each inbox row still commits with its own effect). If any of them fails,
that transaction is rolled back and its messages are handled one by one, so one bad
message never holds back or undoes the others.
"""
from __future__ import annotations

import asyncio
import logging
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from sqlalchemy import Column, MetaData, PrimaryKeyConstraint, String, Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from crs_shared.db import UTCDateTime, utcnow
from crs_shared.events import topics
from crs_shared.events.envelope import EventEnvelope, parse_envelope
from crs_shared.logs import correlation_id
from crs_shared.transport.base import IncomingMessage, OutgoingMessage, Publisher, Subscriber

log = logging.getLogger(__name__)

Handler = Callable[[AsyncSession, EventEnvelope], Awaitable[None]]


def inbox_table(metadata: MetaData) -> Table:
    return Table(
        "inbox_messages",
        metadata,
        Column("consumer", String(200), nullable=False),
        Column("event_id", String(36), nullable=False),
        Column("event_type", String(200), nullable=False),
        Column("processed_at", UTCDateTime, nullable=False),
        PrimaryKeyConstraint("consumer", "event_id"),
    )


@dataclass
class Consumer:
    """A named consumer group: which topics it reads and a handler per event type."""

    name: str
    topics: list[str]
    handlers: dict[str, Handler] = field(default_factory=dict)

    def on(self, event_type: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.handlers[event_type] = handler
            return handler

        return register


@dataclass
class RunnerSettings:
    max_attempts: int = 5
    backoff_s: float = 0.05
    max_backoff_s: float = 2.0
    poll_timeout_s: float = 0.5
    batch_size: int = 200
    transaction_size: int = 50  # messages handled together in one transaction; 1 = one each


class ConsumerRunner:
    def __init__(
        self,
        consumer: Consumer,
        inbox: Table,
        sessions: async_sessionmaker[AsyncSession],
        subscriber: Subscriber,
        dead_letters: Publisher,
        settings: RunnerSettings | None = None,
    ) -> None:
        self.consumer = consumer
        self.inbox = inbox
        self.sessions = sessions
        self.subscriber = subscriber
        self.dead_letters = dead_letters
        self.settings = settings or RunnerSettings()
        self.handled = 0
        self.duplicates = 0
        self.dead_lettered = 0

    async def run(self, stop: asyncio.Event) -> None:
        await self.subscriber.start()
        try:
            while not stop.is_set():
                messages = await self.subscriber.poll(self.settings.batch_size, self.settings.poll_timeout_s)
                await self.process_batch(messages)
                if messages:
                    await self._commit(messages)
        finally:
            await self.subscriber.stop()

    async def _commit(self, messages: list[IncomingMessage]) -> None:
        try:
            await self.subscriber.commit(messages)
        except Exception as exc:
            # Typically a rebalance took the partition away. Nothing is lost: the new owner is
            # redelivered these messages and the inbox makes that a no-op.
            log.warning("consumer %s could not commit offsets: %r", self.consumer.name, exc)

    async def process_batch(self, messages: list[IncomingMessage]) -> None:
        work: list[tuple[IncomingMessage, EventEnvelope, Handler]] = []
        for message in messages:
            try:
                envelope = parse_envelope(message.value)
            except ValueError as exc:
                await self._dead_letter(message, f"invalid envelope: {exc}")
                continue
            handler = self.consumer.handlers.get(envelope.type)
            if handler is not None:  # else: not an event this consumer cares about
                work.append((message, envelope, handler))
        size = max(1, self.settings.transaction_size)
        for start in range(0, len(work), size):
            chunk = work[start:start + size]
            if len(chunk) > 1:
                try:
                    await self._handle_together(chunk)
                    continue
                except Exception:
                    log.info("consumer %s: a transaction of %d messages failed; handling them one by one",
                             self.consumer.name, len(chunk), exc_info=True)
            for message, envelope, handler in chunk:
                await self._handle_with_retries(message, envelope, handler)

    async def process(self, message: IncomingMessage) -> None:
        await self.process_batch([message])

    async def _handle_together(self, work: list[tuple[IncomingMessage, EventEnvelope, Handler]]) -> None:
        handled = duplicates = 0
        async with self.sessions() as session, session.begin():
            for _, envelope, handler in work:
                token = correlation_id.set(envelope.correlation_id)
                try:
                    if await self._record(session, envelope):
                        await handler(session, envelope)
                        handled += 1
                    else:
                        duplicates += 1
                finally:
                    correlation_id.reset(token)
        self.handled += handled
        self.duplicates += duplicates

    async def _handle_with_retries(self, message: IncomingMessage, envelope: EventEnvelope, handler: Handler) -> None:
        delay = self.settings.backoff_s
        for attempt in range(1, self.settings.max_attempts + 1):
            try:
                await self._handle_once(envelope, handler)
                return
            except Exception:
                error = traceback.format_exc()
                log.warning(
                    "consumer %s failed on %s %s (attempt %d/%d)",
                    self.consumer.name, envelope.type, envelope.event_id, attempt, self.settings.max_attempts,
                    exc_info=True,
                )
                if attempt < self.settings.max_attempts:
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, self.settings.max_backoff_s)
        await self._dead_letter(message, error)

    async def _handle_once(self, envelope: EventEnvelope, handler: Handler) -> None:
        token = correlation_id.set(envelope.correlation_id)
        try:
            async with self.sessions() as session, session.begin():
                if not await self._record(session, envelope):
                    self.duplicates += 1
                    return
                await handler(session, envelope)
        finally:
            correlation_id.reset(token)
        self.handled += 1

    async def _record(self, session: AsyncSession, envelope: EventEnvelope) -> bool:
        insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
        stmt = insert(self.inbox).values(
            consumer=self.consumer.name,
            event_id=str(envelope.event_id),
            event_type=envelope.type,
            processed_at=utcnow(),
        ).on_conflict_do_nothing(index_elements=["consumer", "event_id"])
        result = await session.execute(stmt)
        return result.rowcount == 1

    async def _dead_letter(self, message: IncomingMessage, error: str) -> None:
        log.error("consumer %s dead-lettered a message from %s: %s", self.consumer.name, message.topic, error[-500:])
        # Until the dead letter is durably written the offset is not committed: retry forever.
        while True:
            try:
                await asyncio.wait_for(self.dead_letters.publish(
                    [
                        OutgoingMessage(
                            topic=topics.DEAD_LETTER,
                            key=message.key or "",
                            value=message.value,
                            headers={
                                **message.headers,
                                "dlq_consumer": self.consumer.name,
                                "dlq_source_topic": message.topic,
                                "dlq_source_partition": str(message.partition),
                                "dlq_source_offset": str(message.offset),
                                "dlq_error": error[-4000:],
                            },
                        )
                    ]
                ), 10)
                self.dead_lettered += 1
                return
            except Exception as exc:
                log.warning("dead-letter publish failed, retrying: %r", exc)
                await asyncio.sleep(self.settings.max_backoff_s)
