"""A service's moving parts outside HTTP: database engine, transport, outbox relay,
consumers and periodic workers, started and stopped together."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from crs_shared import db
from crs_shared.events import topics
from crs_shared.inbox import Consumer, ConsumerRunner, RunnerSettings
from crs_shared.migrations import upgrade
from crs_shared.outbox import Outbox, OutboxRelay, RelaySettings
from crs_shared.settings import ServiceSettings
from crs_shared.transport import Transport, build_transport

log = logging.getLogger(__name__)

Worker = Callable[["ServiceRuntime", asyncio.Event], Awaitable[None]]


class Periodic:
    """A worker that runs `job(runtime)` now and then every `interval_s` until stopped;
    counts its passes (tests wait on them instead of sleeping)."""

    def __init__(self, job: Callable[["ServiceRuntime"], Awaitable[object]], interval_s: float) -> None:
        self.job = job
        self.interval_s = interval_s
        self.passes = 0

    async def __call__(self, runtime: ServiceRuntime, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await self.job(runtime)
            self.passes += 1
            try:
                await asyncio.wait_for(stop.wait(), self.interval_s)
            except TimeoutError:
                pass


class ServiceRuntime:
    def __init__(
        self,
        settings: ServiceSettings,
        *,
        name: str,
        outbox: Table,
        inbox: Table,
        consumers: list[Consumer] | None = None,
        workers: dict[str, Worker] | None = None,
        migrations_dir: Path | None = None,
        migrate_on_start: bool | None = None,
    ) -> None:
        self.settings = settings
        self.name = name
        self.outbox_table = outbox
        self.inbox_table = inbox
        self.outbox = Outbox(outbox)
        self.consumers = consumers or []
        self.workers = workers or {}
        self.migrations_dir = migrations_dir
        self.migrate_on_start = settings.migrate_on_start if migrate_on_start is None else migrate_on_start
        self.engine: AsyncEngine | None = None
        self.sessions: async_sessionmaker[AsyncSession] | None = None
        self.transport: Transport | None = None
        self.relay: OutboxRelay | None = None
        self.runners: list[ConsumerRunner] = []
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self, *, run_workers: bool | None = None) -> None:
        s = self.settings
        if self.migrate_on_start and self.migrations_dir is not None:
            await upgrade(self.migrations_dir, s.database_url)
        self.engine = db.create_engine(s.database_url, pool_size=s.db_pool_size)
        self.sessions = db.session_factory(self.engine)
        self.transport = build_transport(
            s.transport, kafka_bootstrap=s.kafka_bootstrap, topic_prefix=s.topic_prefix,
            embedded_path=s.embedded_log_path,
        )
        await self.transport.start()
        await self.transport.ensure_topics(list(topics.ALL))
        if run_workers if run_workers is not None else s.run_workers:
            self.start_workers()

    def start_workers(self) -> None:
        assert self.sessions is not None and self.transport is not None
        self._stop.clear()
        publisher = self.transport.publisher()
        self.relay = OutboxRelay(
            self.outbox_table, self.sessions, publisher, RelaySettings(batch_size=self.settings.relay_batch_size)
        )
        self._spawn("outbox-relay", self.relay.run)
        for consumer in self.consumers:
            runner = ConsumerRunner(
                consumer, self.inbox_table, self.sessions,
                self.transport.subscriber(consumer.name, consumer.topics), publisher,
                RunnerSettings(max_attempts=self.settings.consumer_max_attempts,
                               transaction_size=self.settings.consumer_transaction_size),
            )
            self.runners.append(runner)
            self._spawn(f"consumer:{consumer.name}", runner.run)
        for name, worker in self.workers.items():
            self._spawn(name, lambda stop, w=worker: w(self, stop))

    def _spawn(self, name: str, run: Callable[[asyncio.Event], Awaitable[None]]) -> None:
        async def supervised() -> None:
            # A worker that crashes is restarted, loudly: it must never just stop.
            while not self._stop.is_set():
                try:
                    await run(self._stop)
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("%s worker %s crashed; restarting", self.name, name)
                    try:
                        await asyncio.wait_for(self._stop.wait(), 1.0)
                    except TimeoutError:
                        pass

        self._tasks.append(asyncio.create_task(supervised(), name=f"{self.name}:{name}"))

    async def wait(self) -> None:
        await self._stop.wait()

    async def stop(self) -> None:
        self._stop.set()
        if self._tasks:
            _, pending = await asyncio.wait(self._tasks, timeout=15)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        self._tasks.clear()
        self.runners.clear()
        if self.transport is not None:
            await self.transport.stop()
        if self.engine is not None:
            await self.engine.dispose()

    async def readiness(self) -> dict[str, str]:
        checks: dict[str, str] = {}
        for name, check in (("database", self._ping_db), ("transport", self._ping_transport)):
            try:
                await asyncio.wait_for(check(), 5)
                checks[name] = "ok"
            except Exception as exc:
                checks[name] = f"unavailable: {type(exc).__name__}"
        return checks

    async def _ping_db(self) -> None:
        assert self.engine is not None
        await db.ping(self.engine)

    async def _ping_transport(self) -> None:
        assert self.transport is not None
        await self.transport.ping()
