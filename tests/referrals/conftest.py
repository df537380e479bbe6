"""One referrals service (real PostgreSQL and Kafka) shared by a test module."""
from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack

import pytest_asyncio

from tests.harness import Platform, start_platform

FAST_TIMERS = {"sla_poll_interval_s": 0.2, "draft_cleanup_interval_s": 0.2}


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def platform(infra) -> AsyncIterator[Platform]:
    async with AsyncExitStack() as stack:
        yield await start_platform(stack, infra=infra, transport="kafka", services=("referrals",),
                                   overrides={"referrals": FAST_TIMERS})
