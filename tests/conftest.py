"""Repo-level integration and end-to-end tests: real PostgreSQL and real Apache Kafka."""
from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack

import pytest
import pytest_asyncio

from tests.harness import Infra, start_infra


@pytest.fixture(scope="session")
def infra() -> Infra:
    return start_infra()


@pytest_asyncio.fixture
async def stack() -> AsyncIterator[AsyncExitStack]:
    async with AsyncExitStack() as stack:
        yield stack
