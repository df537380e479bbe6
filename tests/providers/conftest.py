"""One providers service per test module, on real PostgreSQL and real Kafka."""
from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from typing import Any

import pytest_asyncio

from tests.harness import Infra, Platform, start_platform
from tests.providers.factory import ADMIN, intervention_body, provider_body


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def platform(infra: Infra) -> AsyncIterator[Platform]:
    async with AsyncExitStack() as stack:
        yield await start_platform(stack, infra=infra, transport="kafka", services=("providers",))


@pytest_asyncio.fixture(loop_scope="session")
async def new_provider(platform: Platform) -> Callable[..., Awaitable[dict[str, Any]]]:
    """Registers a provider through the API and returns its body."""

    async def create(**changes: Any) -> dict[str, Any]:
        r = await platform.providers.client.post("/v1/providers", json=provider_body(**changes), headers=ADMIN)
        assert r.status_code == 201, r.text
        return r.json()

    return create


@pytest_asyncio.fixture(loop_scope="session")
async def new_intervention(platform: Platform) -> Callable[..., Awaitable[dict[str, Any]]]:
    """Publishes an intervention through the API and returns its body."""

    async def create(prime_id: str, **changes: Any) -> dict[str, Any]:
        r = await platform.providers.client.post(
            "/v1/interventions", json=intervention_body(prime_id, **changes), headers=ADMIN)
        assert r.status_code == 201, r.text
        return r.json()

    return create
