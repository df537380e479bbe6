"""Benchmark of notification delivery, on real PostgreSQL and Kafka, to local sinks on loopback.

1. Throughput: record a backlog of webhook deliveries (and the provider's emails) from real events,
   then time the delivery worker draining it; baselines: raw POSTs (httpx, and aiohttp, the
   service's client) of the same bodies to the same sink with the same concurrency, in the same run.
   It also times the consumer recording that backlog (events/s).
2. Latency: referrals (two events each: submitted, sent) published at a steady rate while 10% of
   receiver calls fail (HTTP 500); p50/p99 from the event being committed to Kafka to its
   webhook's first 2xx at the receiver, split into the consumer's part and the delivery loops'.

The HTTP receiver (sink_server.py) and the SMTP server (aiosmtpd) run in their own processes,
so that they do not share this process's event loop and core with the service under test.
The service runs with its default settings. BENCH_PROFILE=1 prints CPU time by package.

Run: .venv/bin/python bench/notifications/bench_delivery.py [--referrals 400 --endpoints 5 --rate 100]
"""
from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import socket
import statistics
import subprocess
import sys
import time
import uuid
from contextlib import AsyncExitStack
from pathlib import Path

import aiohttp
import httpx
from sqlalchemy import func, select

PROFILE = os.environ.get("BENCH_PROFILE") == "1"  # profile the drain phase of the throughput run
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # the repo root, for tests.harness

from notifications.adapters.tables import deliveries, delivery_attempts, providers  # noqa: E402
from notifications.service.delivery import DeliveryWorker  # noqa: E402
from tests.harness import auth, start_infra, start_platform  # noqa: E402
from tests.notifications import factory as f  # noqa: E402
from tests.notifications.sinks import free_port  # noqa: E402


class SinkProcess:
    """The HTTP receiver in a child process; its records are fetched over HTTP at the end."""

    def __init__(self, failure_rate: float = 0.0) -> None:
        self.port = free_port()
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("sink_server.py")), "--port", str(self.port),
             "--failure-rate", str(failure_rate)], stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None and self.proc.stdout.readline().strip() == "ready"
        self.url = f"http://127.0.0.1:{self.port}"

    async def stats(self) -> dict:  # type: ignore[type-arg]
        async with httpx.AsyncClient() as client:
            return (await client.get(f"{self.url}/_stats")).json()

    async def received(self) -> list[tuple[str, str, int, float]]:
        async with httpx.AsyncClient(timeout=60) as client:
            return [tuple(r) for r in (await client.get(f"{self.url}/_received")).json()]

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


class SmtpProcess:
    """aiosmtpd's own command line, discarding messages, in a child process."""

    def __init__(self) -> None:
        self.port = free_port()
        self.proc = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{self.port}",
                                      "-c", "aiosmtpd.handlers.Sink"])
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


async def count(service, **where) -> int:  # type: ignore[no-untyped-def]
    async with service.runtime.sessions() as session:
        query = select(func.count()).select_from(deliveries)
        for column, value in where.items():
            query = query.where(deliveries.c[column] == value)
        return (await session.execute(query)).scalar_one()


async def start(stack, infra, smtp, **overrides):  # type: ignore[no-untyped-def]
    settings = {"smtp_host": "127.0.0.1", "smtp_port": smtp.port, **overrides}  # otherwise the defaults
    platform = await start_platform(stack, infra=infra, services=("notifications",),
                                    overrides={"notifications": settings})
    return platform.notifications


async def register(service, provider_id, url: str) -> None:  # type: ignore[no-untyped-def]
    response = await service.client.post("/v1/webhooks/endpoints", json={"url": url, "event_types": ["referral.sent"]},
                                          headers=auth("provider", organisation_id=str(provider_id)))
    response.raise_for_status()


def referral_events(provider_id: uuid.UUID, n: int) -> list:  # type: ignore[type-arg]
    events = []
    for i in range(n):
        rid, ref = uuid.uuid4(), f"BE{i:06d}"
        events += [f.submitted(rid, provider_id, reference=ref, practitioner_id="pp-bench", practitioner_email=None),
                   f.referral_event("sent", rid, ref, prime_provider_id=provider_id)]
    return events


async def wait_for(check, timeout: float = 300) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            raise TimeoutError("benchmark condition not met")
        await asyncio.sleep(0.05)


async def throughput(infra, smtp, referrals: int, endpoints: int, workers: int) -> None:  # type: ignore[no-untyped-def]
    sink = SinkProcess()
    try:
        async with AsyncExitStack() as stack:
            service = await start(stack, infra, smtp, delivery_workers=0)
            provider_id = uuid.uuid4()
            await f.publish(service, f.provider(provider_id, "bench@org.example"))
            for i in range(endpoints):
                await register(service, provider_id, f"{sink.url}/e{i}")
            expected = referrals * (endpoints + 1)
            events = referral_events(provider_id, referrals)
            began, cpu = time.perf_counter(), time.process_time()
            if PROFILE:
                profile = cProfile.Profile()
                profile.enable()
            await f.publish(service, *events)
            await wait_for(lambda: _equals(count(service), expected))
            took, cpu = time.perf_counter() - began, time.process_time() - cpu
            if PROFILE:
                profile.disable()
                _by_package(profile)
            print(f"consumer: {len(events)} events recorded as {expected} deliveries in {took:.2f}s = "
                  f"{len(events) / took:,.0f} events/s, up to "
                  f"{service.settings.consumer_transaction_size} events per transaction; "
                  f"this process used {cpu / took:.0%} of a core")
            bodies = [b for (b,) in (await _payloads(service))]

            runners = [DeliveryWorker(service.runtime.sessions, service.runtime.outbox, service.settings)
                       for _ in range(workers)]
            stop = asyncio.Event()
            profile = cProfile.Profile() if PROFILE else None
            if profile:
                profile.enable()
            started, cpu = time.perf_counter(), time.process_time()
            tasks = [asyncio.create_task(r.run(stop)) for r in runners]
            await wait_for(lambda: _equals(count(service, status="delivered"), expected))
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
            if profile:
                profile.disable()
                pstats.Stats(profile).sort_stats("tottime").print_stats(35)
            stop.set()
            await asyncio.gather(*tasks)
            hooks = len(bodies)
            rate = expected / elapsed
            for outcome, error, n in await _attempt_summary(service):
                print(f"attempts: {n} {outcome} {error or ''}")
            concurrency = service.settings.delivery_concurrency * workers
            print(f"throughput: {expected} deliveries ({hooks} webhooks + {expected - hooks} emails) "
                  f"in {elapsed:.2f}s = {rate:,.0f} deliveries/s with {workers} worker loop(s), "
                  f"{concurrency} in flight; this process used {cpu / elapsed:.0%} of a core")
            # httpx at 8 in flight, its best (it slows down with more); aiohttp as the workers run it.
            for name, post_all, n in (("httpx", raw_httpx, 8), ("aiohttp", raw_aiohttp, concurrency)):
                baseline = await post_all(sink.url, bodies, n)
                print(f"baseline: raw {name} POSTs of the same {hooks} bodies to the same sink: "
                      f"{baseline:,.0f} posts/s (concurrency {n}); "
                      f"ratio delivery pipeline / raw {name}: {rate / baseline:.2f}")
    finally:
        sink.stop()


async def _equals(awaitable, value: int) -> bool:  # type: ignore[no-untyped-def]
    return await awaitable == value


async def _payloads(service):  # type: ignore[no-untyped-def]
    async with service.runtime.sessions() as session:
        return (await session.execute(select(deliveries.c.payload).where(deliveries.c.channel == "webhook"))).all()


def _by_package(profile: cProfile.Profile) -> None:
    """Own CPU time of the profiled phase, by package."""
    totals: dict[str, float] = {}
    for (path, _, _), (_, _, tottime, _, _) in pstats.Stats(profile).stats.items():  # type: ignore[attr-defined]
        package = path.split("/site-packages/")[-1].split("/")[0] if "/site-packages/" in path else (
            path.rsplit("/", 2)[-2] if "/" in path else path)
        totals[package] = totals.get(package, 0.0) + tottime
    for name, seconds in sorted(totals.items(), key=lambda kv: -kv[1])[:15]:
        print(f"  {seconds:6.2f}s {name}")


async def _attempt_summary(service):  # type: ignore[no-untyped-def]
    a = delivery_attempts.c
    async with service.runtime.sessions() as session:
        error = func.left(a.error, 80).label("error")
        return (await session.execute(select(a.outcome, error, func.count()).group_by(a.outcome, error))).all()


async def raw_httpx(url: str, bodies: list[str], concurrency: int) -> float:
    slots = asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits) as client:
        async def post(body: str) -> None:
            async with slots:
                (await client.post(url, content=body.encode(), headers={"content-type": "application/json"})
                 ).raise_for_status()

        started = time.perf_counter()
        await asyncio.gather(*(post(b) for b in bodies))
        return len(bodies) / (time.perf_counter() - started)


async def raw_aiohttp(url: str, bodies: list[str], concurrency: int) -> float:
    slots = asyncio.Semaphore(concurrency)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as client:
        async def post(body: str) -> None:
            async with slots, client.post(url, data=body.encode(),
                                          headers={"content-type": "application/json"}) as response:
                response.raise_for_status()
                await response.read()

        started = time.perf_counter()
        await asyncio.gather(*(post(b) for b in bodies))
        return len(bodies) / (time.perf_counter() - started)


async def latency(infra, smtp, rate: int, seconds: int, failure_rate: float) -> None:  # type: ignore[no-untyped-def]
    sink = SinkProcess(failure_rate)
    try:
        async with AsyncExitStack() as stack:
            service = await start(stack, infra, smtp)
            provider_id = uuid.uuid4()
            await f.publish(service, f.provider(provider_id, "bench@org.example"))
            await register(service, provider_id, sink.url)
            await wait_for(lambda: _consumer_live(service))  # steady state: not the consumer group's first join
            profile = cProfile.Profile() if PROFILE else None
            if profile:
                profile.enable()
            committed: dict[str, float] = {}
            tick = 0.05  # publish in small batches, every `tick` seconds
            per_tick = max(1, round(rate * tick))
            begin = time.monotonic()
            for i in range(max(1, rate * seconds // per_tick)):
                batch = referral_events(provider_id, per_tick)
                await f.publish(service, *batch)
                now = time.time()
                committed.update({str(e.data["referral_id"]): now for e in batch if e.type == "referral.sent"})
                await asyncio.sleep(max(0.0, begin + (i + 1) * tick - time.monotonic()))
            await wait_for(lambda: _all_ok(sink, len(committed)), timeout=120)
            if profile:
                profile.disable()
                _by_package(profile)
                pstats.Stats(profile).sort_stats("tottime").print_stats("notifications|crs_shared", 25)
            retry_first = service.settings.retry_schedule_s[0]
            async with service.runtime.sessions() as session:
                recorded_at = {r.id: r.created_at.timestamp() for r in (await session.execute(
                    select(deliveries.c.id, deliveries.c.created_at).where(deliveries.c.channel == "webhook"))).all()}
        records = await sink.received()
    finally:
        sink.stop()
    first_ok: dict[str, float] = {}
    for _, rid, status, at in sorted(records, key=lambda r: r[3]):
        if status == 200:
            first_ok.setdefault(rid, at)
    latencies = sorted(first_ok[rid] - committed[rid] for rid in committed)
    failed_calls = sum(1 for r in records if r[2] >= 500)
    ok_ids = [r[0] for r in records if r[2] == 200]
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    print(f"latency: {len(latencies)} webhooks at ~{rate} referrals/s ({2 * rate} events/s: submitted + sent), "
          f"{failed_calls}/{len(records)} receiver calls failed ({failed_calls / len(records):.0%}); "
          f"committed->delivered p50 {statistics.median(latencies) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, "
          f"max {latencies[-1] * 1000:.0f} ms; first retry after {retry_first}s ±20%")
    rid_of = {wid: rid for wid, rid, _, _ in records}
    recording = sorted(recorded_at[w] - committed[rid_of[w]] for w in recorded_at if rid_of.get(w) in committed)
    sending = sorted(first_ok[rid_of[w]] - recorded_at[w] for w in recorded_at if rid_of.get(w) in first_ok)
    for name, part in (("event committed -> delivery recorded (consumer)", recording),
                       ("delivery recorded -> first 2xx (delivery loops)", sending)):
        print(f"  {name}: p50 {statistics.median(part) * 1000:.0f} ms, "
              f"p99 {part[int(len(part) * 0.99) - 1] * 1000:.0f} ms")
    print(f"duplicates at the receiver (same webhook-id answered 2xx twice): {len(ok_ids) - len(set(ok_ids))}")


async def _consumer_live(service) -> bool:  # type: ignore[no-untyped-def]
    async with service.runtime.sessions() as session:
        return (await session.execute(select(func.count()).select_from(providers))).scalar_one() > 0


async def _all_ok(sink: SinkProcess, n: int) -> bool:
    return (await sink.stats())["ok_ids"] >= n


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--referrals", type=int, default=400)
    parser.add_argument("--endpoints", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rate", type=int, default=100, help="referrals per second in the latency run")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--skip", choices=("throughput", "latency"), default=None)
    args = parser.parse_args()
    infra = start_infra()
    smtp = SmtpProcess()
    try:
        if args.skip != "throughput":
            await throughput(infra, smtp, args.referrals, args.endpoints, args.workers)
        if args.skip != "latency":
            await latency(infra, smtp, args.rate, args.seconds, failure_rate=0.10)
    finally:
        smtp.stop()


if __name__ == "__main__":
    asyncio.run(main())
