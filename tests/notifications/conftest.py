"""Fixtures of the notifications integration tests: a real SMTP server and the service on PostgreSQL + Kafka."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import AsyncExitStack
from typing import Any

import pytest
import pytest_asyncio

from tests.harness import Infra, RunningService, start_platform
from tests.notifications.sinks import SmtpSink

FAST_RETRIES = {"retry_schedule_s": [0.2, 0.3, 0.4], "retry_jitter": 0.0, "delivery_idle_poll_s": 0.02,
                "delivery_lease_s": 5.0, "consumer_max_attempts": 2}


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    sink = SmtpSink().start()
    yield sink
    sink.stop()


async def start_notifications(stack: AsyncExitStack, infra: Infra, smtp: SmtpSink, **overrides: Any
                              ) -> RunningService:
    settings = {"smtp_host": "127.0.0.1", "smtp_port": smtp.port, **FAST_RETRIES, **overrides}
    platform = await start_platform(stack, infra=infra, transport="kafka", services=("notifications",),
                                    overrides={"notifications": settings})
    return platform.notifications


@pytest_asyncio.fixture
async def notifications(stack: AsyncExitStack, infra: Infra, smtp: SmtpSink) -> RunningService:
    return await start_notifications(stack, infra, smtp)
