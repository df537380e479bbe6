"""Starts services in-process for integration and end-to-end tests, on real PostgreSQL
and real Kafka (or the embedded transport on SQLite, as `make run` does)."""
from __future__ import annotations

import asyncio
import os
import subprocess
import time
import uuid
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
import httpx

from crs_shared.auth import issue_token

ROOT = Path(__file__).resolve().parents[1]
TEST_SECRET = "test-secret-0123456789abcdef0123456789abcdef"
SERVICES = ("referrals", "providers", "contracts", "notifications")
T = TypeVar("T")


@dataclass(frozen=True)
class Infra:
    pg_host: str
    pg_port: int
    kafka_bootstrap: str

    def pg_url(self, database: str) -> str:
        return f"postgresql+asyncpg://crs@{self.pg_host}:{self.pg_port}/{database}"


def start_infra() -> Infra:
    """Start (or find running) the test PostgreSQL and Kafka with the project's own scripts."""
    pg_port = int(os.environ.get("CRS_TEST_PG_PORT", "56432"))
    kafka_port = int(os.environ.get("CRS_TEST_KAFKA_PORT", "29092"))
    subprocess.run(["bash", str(ROOT / "deploy/local/infra.sh"), "up", "test"], check=True,
                   env={**os.environ, "PG_FAST": "1", "PG_PORT": str(pg_port), "KAFKA_PORT": str(kafka_port)})
    return Infra("127.0.0.1", pg_port, f"127.0.0.1:{kafka_port}")


async def create_database(infra: Infra, prefix: str) -> str:
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    conn = await asyncpg.connect(host=infra.pg_host, port=infra.pg_port, user="crs", database="postgres")
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return infra.pg_url(name)


def token(role: str, **claims: Any) -> str:
    return issue_token(TEST_SECRET, role=role, **claims)  # type: ignore[arg-type]


def auth(role: str, **claims: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(role, **claims)}"}


async def eventually(check: Callable[[], Awaitable[T]], *, timeout: float = 30.0, interval: float = 0.1) -> T:
    """Poll `check` until it returns a truthy value without raising; fail after `timeout`."""
    deadline = time.monotonic() + timeout
    last: BaseException | None = None
    while True:
        try:
            result = await check()
            if result:
                return result
        except AssertionError as exc:
            last = exc
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s: {last!r}")
        await asyncio.sleep(interval)


def _service_module(name: str) -> tuple[Any, Any]:
    app_module = __import__(f"{name}.app", fromlist=["create_app"])
    settings_module = __import__(f"{name}.settings", fromlist=["Settings"])
    return app_module, settings_module


@dataclass
class RunningService:
    name: str
    app: Any
    client: httpx.AsyncClient
    settings: Any

    @property
    def runtime(self) -> Any:
        return self.app.state.runtime


@dataclass
class Platform:
    """Some or all services, started in this process, sharing one transport."""

    transport: str
    topic_prefix: str
    services: dict[str, RunningService] = field(default_factory=dict)

    def __getattr__(self, name: str) -> RunningService:
        try:
            return self.__dict__["services"][name]
        except KeyError:
            raise AttributeError(name) from None


async def start_platform(
    stack: AsyncExitStack,
    *,
    infra: Infra | None,
    transport: str = "kafka",
    services: tuple[str, ...] = SERVICES,
    workdir: Path | None = None,
    overrides: dict[str, dict[str, Any]] | None = None,
) -> Platform:
    """Start `services` with fresh databases and a fresh topic prefix; stopped by `stack`."""
    prefix = f"t{uuid.uuid4().hex[:8]}."
    platform = Platform(transport=transport, topic_prefix=prefix)
    workdir = workdir or Path(os.environ.get("TMPDIR", "/tmp")) / f"crs-{uuid.uuid4().hex[:8]}"
    workdir.mkdir(parents=True, exist_ok=True)
    for name in services:
        app_module, settings_module = _service_module(name)
        if infra is not None:
            database_url = await create_database(infra, name)
        else:
            database_url = f"sqlite+aiosqlite:///{workdir}/{name}.db"
        values: dict[str, Any] = dict(
            environment="test",
            database_url=database_url,
            transport=transport,
            kafka_bootstrap=infra.kafka_bootstrap if infra else "",
            topic_prefix=prefix,
            embedded_log_path=str(workdir / "events.db"),
            jwt_secret=TEST_SECRET,
        )
        values.update((overrides or {}).get(name, {}))
        settings = settings_module.Settings(**values)
        app = app_module.create_app(settings)
        await stack.enter_async_context(app.router.lifespan_context(app))
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url=f"http://{name}.test", timeout=30.0
        )
        await stack.enter_async_context(client)
        platform.services[name] = RunningService(name, app, client, settings)
    return platform
