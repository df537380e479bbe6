"""The delivery loops' wakeup: rung by the consumer after a commit, or at a retry's due time."""
from __future__ import annotations

import asyncio
import time
from datetime import timedelta

import pytest

from crs_shared.db import utcnow
from notifications.service.wakeup import Wakeup


@pytest.mark.asyncio
async def test_a_ring_wakes_one_idle_loop_at_once_and_the_other_sleeps_on() -> None:
    wakeup = Wakeup()
    first, second = (asyncio.create_task(wakeup.wait(5)) for _ in range(2))
    await asyncio.sleep(0.01)
    wakeup.ring()
    done, pending = await asyncio.wait({first, second}, timeout=0.5)
    assert len(done) == 1 and next(iter(done)).result() is True
    wakeup.ring(everyone=True)
    assert (await asyncio.wait_for(next(iter(pending)), 0.5)) is True


@pytest.mark.asyncio
async def test_a_loop_wakes_when_a_retry_falls_due_not_at_its_next_poll() -> None:
    wakeup = Wakeup()
    wakeup.due(utcnow() + timedelta(seconds=0.05))
    started = time.monotonic()
    assert await wakeup.wait(5) is False  # not rung: the retry fell due
    assert time.monotonic() - started < 4  # well before the 5 s poll
