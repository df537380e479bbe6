"""Unit of work: one transaction, rolled back unless committed; events go to the outbox
in that same transaction. Services subclass it to attach their repositories."""
from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from crs_shared.events.envelope import EventData, EventEnvelope, build_event
from crs_shared.outbox import Outbox


class UnitOfWork:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], outbox: Outbox, producer: str) -> None:
        self._sessions = sessions
        self._outbox = outbox
        self.producer = producer
        self.session: AsyncSession
        self._events: list[EventEnvelope] = []

    @classmethod
    def joining(cls, session: AsyncSession, outbox: Outbox, producer: str) -> Self:
        """A unit of work inside a transaction someone else owns (a consumer's, with its inbox row)."""
        uow = cls.__new__(cls)
        UnitOfWork.__init__(uow, None, outbox, producer)  # type: ignore[arg-type]
        uow.session = session
        uow._joined = True
        uow._attach()
        return uow

    def _attach(self) -> None:
        """Subclasses build their repositories on self.session here."""

    async def __aenter__(self) -> Self:
        self._joined = False
        self.session = self._sessions()
        await self.session.begin()
        self._events = []
        self._attach()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._joined:
            return
        try:
            if self.session.in_transaction():
                await self.session.rollback()
        finally:
            await self.session.close()

    def emit(self, data: EventData, **subject: object) -> EventEnvelope:
        envelope = build_event(data, producer=self.producer, subject={k: str(v) for k, v in subject.items()})
        self._events.append(envelope)
        return envelope

    async def flush_events(self) -> None:
        if self._events:
            await self._outbox.add(self.session, *self._events)
            self._events = []

    async def commit(self) -> None:
        await self.flush_events()
        if not self._joined:
            await self.session.commit()

    async def rollback(self) -> None:
        self._events = []
        if not self._joined:
            await self.session.rollback()
