"""The demo's HTTP side: one client per service, a token per role, and calls that explain their failures."""
from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx

from crs_shared.auth import issue_token

SERVICES = ("referrals", "providers", "contracts")
T = TypeVar("T")
Item = TypeVar("Item")


class DemoError(RuntimeError):
    """The demo cannot go on; the message says what it was doing and the last response it saw."""


@dataclass
class Clients:
    """One HTTP client per service: real URLs from the command line, or in-process clients in tests."""

    referrals: httpx.AsyncClient
    providers: httpx.AsyncClient
    contracts: httpx.AsyncClient

    @classmethod
    @asynccontextmanager
    async def connect(cls, urls: dict[str, str], timeout: float = 30) -> AsyncIterator[Clients]:
        async with AsyncExitStack() as stack:
            opened = {name: await stack.enter_async_context(httpx.AsyncClient(base_url=urls[name], timeout=timeout))
                      for name in SERVICES}
            yield cls(**opened)


@dataclass
class Tokens:
    secret: str

    def headers(self, role: str, **claims: Any) -> dict[str, str]:
        return {"Authorization": "Bearer " + issue_token(self.secret, role=role, **claims)}  # type: ignore[arg-type]

    def admin(self) -> dict[str, str]:
        return self.headers("admin", subject="demo-admin")

    def commercial(self) -> dict[str, str]:
        return self.headers("commercial", subject="demo-commercial", ttl_s=7 * 24 * 3600)

    def practitioner(self, region: str) -> dict[str, str]:
        return self.headers("practitioner", subject=f"demo-pp-{region}", region_code=region, team_code=f"{region}T1",
                            email=f"practitioner.{region.lower()}@probation.example")

    def provider(self, provider_id: str) -> dict[str, str]:
        return self.headers("provider", subject=f"demo-partner-{provider_id[:8]}", organisation_id=provider_id)


def described(r: httpx.Response) -> str:
    return f"{r.request.method} {r.request.url.path}: {r.status_code} {r.text[:500]}"


def expect(r: httpx.Response, *allowed: int, doing: str = "") -> Any:
    """The JSON body of `r` if its status is allowed (default 200 or 201); else a DemoError saying why."""
    if r.status_code not in (allowed or (200, 201)):
        raise DemoError(f"{doing}: {described(r)}" if doing else described(r))
    return r.json() if r.content else None


async def pages(client: httpx.AsyncClient, path: str, headers: dict, **params: Any) -> list[dict]:
    """Every item of a cursor-paginated list."""
    items, cursor = [], None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        page = expect(await client.get(path, headers=headers, params=query), doing=f"listing {path}")
        items += page["items"]
        cursor = page.get("next_cursor")
        if not cursor:
            return items


async def retry_while(send: Callable[[], Awaitable[httpx.Response]], not_yet: Callable[[httpx.Response], bool], *,
                      awaiting: str, timeout: float, interval: float = 0.25) -> httpx.Response:
    """Send until the answer is no longer `not_yet` (an event has still to arrive); fail after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        r = await send()
        if not not_yet(r):
            return r
        if time.monotonic() > deadline:
            raise DemoError(f"gave up after {timeout:g}s awaiting {awaiting}; last response {described(r)}")
        await asyncio.sleep(interval)


async def gather_bounded(limit: int, items: Iterable[Item], call: Callable[[Item], Awaitable[T]]) -> list[T]:
    """`call` on every item, at most `limit` at a time; the first failure cancels the rest and is raised."""
    gate = asyncio.Semaphore(limit)

    async def one(item: Item) -> T:
        async with gate:
            return await call(item)

    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(one(item)) for item in items]
    except ExceptionGroup as failed:
        first = failed.exceptions[0]
        if len(failed.exceptions) > 1:
            first.add_note(f"({len(failed.exceptions) - 1} other calls failed as well)")
        raise first from None
    return [task.result() for task in tasks]
