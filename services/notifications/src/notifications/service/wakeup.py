"""A hint from the consumer to the delivery loops: new deliveries were just committed.

Only a hint: the loops still poll, for deliveries recorded by another process and for
retries falling due. It fires after the commit, never before, so a woken loop finds the rows.
"""
from __future__ import annotations

import asyncio
import heapq
from datetime import datetime

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

from crs_shared.db import utcnow


class Wakeup:
    def __init__(self) -> None:
        self._waiting: set[asyncio.Event] = set()
        self._due: list[datetime] = []  # retries this process scheduled: a heap

    def due(self, at: datetime) -> None:
        """A delivery falls due at `at`: an idle loop wakes then rather than at its next poll."""
        heapq.heappush(self._due, at)

    def ring(self, everyone: bool = False) -> None:
        """Wake one idle loop (one claim picks up what was committed), or all of them."""
        for waiter in list(self._waiting):
            if not waiter.is_set():
                waiter.set()
                if not everyone:
                    return

    def ring_after_commit(self, session: AsyncSession) -> None:
        """Ring once `session`'s transaction has committed (not if it rolls back)."""
        event.listen(session.sync_session, "after_commit", lambda _: self.ring(), once=True)

    async def wait(self, timeout_s: float) -> bool:
        """Sleep up to `timeout_s`, or less if rung meanwhile; True if rung."""
        now = utcnow()
        while self._due and self._due[0] <= now:
            heapq.heappop(self._due)
        if self._due:
            timeout_s = min(timeout_s, (self._due[0] - now).total_seconds())
        waiter = asyncio.Event()
        self._waiting.add(waiter)
        try:
            await asyncio.wait_for(waiter.wait(), max(0.001, timeout_s))
            return True
        except TimeoutError:
            return False
        finally:
            self._waiting.discard(waiter)
