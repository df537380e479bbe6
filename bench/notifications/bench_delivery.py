"""Benchmark of notification delivery, on real PostgreSQL and Kafka, to local sinks on loopback.

1. Throughput: record a backlog of webhook deliveries (and the provider's emails) from real events,
   then time the delivery worker draining it; baseline: raw httpx POSTs of the same bodies to the
   same sink with the same concurrency, in the same run.
2. Latency: events published at a steady rate while 10% of receiver calls fail (HTTP 500);
   p50/p99 from the event being committed to Kafka to its webhook's first 2xx at the receiver.

Run: .venv/bin/python bench/notifications/bench_delivery.py [--referrals 400 --endpoints 5]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import time
import uuid
from contextlib import AsyncExitStack

import sys
from pathlib import Path

import httpx
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repo root, for tests.harness

from notifications.adapters.tables import deliveries  # noqa: E402
from notifications.service.delivery import DeliveryWorker  # noqa: E402
from tests.harness import auth, start_infra, start_platform  # noqa: E402
from tests.notifications import factory as f  # noqa: E402
from tests.notifications.sinks import HttpSink, SmtpSink  # noqa: E402


async def count(service, **where) -> int:  # type: ignore[no-untyped-def]
    async with service.runtime.sessions() as session:
        query = select(func.count()).select_from(deliveries)
        for column, value in where.items():
            query = query.where(deliveries.c[column] == value)
        return (await session.execute(query)).scalar_one()


async def start(stack, infra, smtp, **overrides):  # type: ignore[no-untyped-def]
    settings = {"smtp_host": "127.0.0.1", "smtp_port": smtp.port, "delivery_idle_poll_s": 0.02, **overrides}
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
    async with AsyncExitStack() as stack:
        sink = await HttpSink().start()
        stack.push_async_callback(sink.stop)
        service = await start(stack, infra, smtp, delivery_workers=0)
        provider_id = uuid.uuid4()
        await f.publish(service, f.provider(provider_id, "bench@org.example"))
        for i in range(endpoints):
            await register(service, provider_id, f"{sink.url}/e{i}")
        expected = referrals * (endpoints + 1)
        await f.publish(service, *referral_events(provider_id, referrals))
        await wait_for(lambda: _equals(count(service), expected))
        bodies = [b for (b,) in (await _payloads(service))]

        runners = [DeliveryWorker(service.runtime.sessions, service.runtime.outbox, service.settings)
                   for _ in range(workers)]
        stop = asyncio.Event()
        started = time.perf_counter()
        tasks = [asyncio.create_task(r.run(stop)) for r in runners]
        await wait_for(lambda: _equals(count(service, status="delivered"), expected))
        elapsed = time.perf_counter() - started
        stop.set()
        await asyncio.gather(*tasks)
        hooks = len(bodies)
        rate = expected / elapsed
        print(f"throughput: {expected} deliveries ({hooks} webhooks + {expected - hooks} emails) "
              f"in {elapsed:.2f}s = {rate:,.0f} deliveries/s with {workers} worker loop(s)")

        baseline = await raw_posts(sink.url, bodies, service.settings.delivery_concurrency)
        print(f"baseline: raw httpx POSTs of the same {hooks} bodies: {baseline:,.0f} posts/s "
              f"(concurrency {service.settings.delivery_concurrency})")
        print(f"ratio delivery pipeline / raw posts: {rate / baseline:.2f}")


async def _equals(awaitable, value: int) -> bool:  # type: ignore[no-untyped-def]
    return await awaitable == value


async def _payloads(service):  # type: ignore[no-untyped-def]
    async with service.runtime.sessions() as session:
        return (await session.execute(select(deliveries.c.payload).where(deliveries.c.channel == "webhook"))).all()


async def raw_posts(url: str, bodies: list[str], concurrency: int) -> float:
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


async def latency(infra, smtp, rate: int, seconds: int, failure_rate: float) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(1)
    async with AsyncExitStack() as stack:
        sink = await HttpSink(respond=lambda r: 500 if rng.random() < failure_rate else 200).start()
        stack.push_async_callback(sink.stop)
        service = await start(stack, infra, smtp)
        provider_id = uuid.uuid4()
        await f.publish(service, f.provider(provider_id, "bench@org.example"))
        await register(service, provider_id, sink.url)
        committed: dict[str, float] = {}
        for _ in range(rate * seconds // 10):
            batch = referral_events(provider_id, 10)
            await f.publish(service, *batch)
            now = time.time()
            committed.update({str(e.data["referral_id"]): now for e in batch if e.type == "referral.sent"})
            await asyncio.sleep(10 / rate)
        await wait_for(lambda: _all_ok(sink, len(committed)), timeout=120)
        first_ok: dict[str, float] = {}
        for r in sink.ok():
            rid = json.loads(r.body)["data"]["referral_id"]
            first_ok.setdefault(rid, r.at)
        latencies = sorted(first_ok[rid] - committed[rid] for rid in committed)
        failed_calls = sum(1 for r in sink.received if r.status >= 500)
        p99 = latencies[int(len(latencies) * 0.99) - 1]
        print(f"latency: {len(latencies)} webhooks at ~{rate}/s, {failed_calls}/{len(sink.received)} receiver calls "
              f"failed ({failed_calls / len(sink.received):.0%}); committed->delivered "
              f"p50 {statistics.median(latencies) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, "
              f"max {latencies[-1] * 1000:.0f} ms; first retry after {service.settings.retry_schedule_s[0]}s ±20%")
        print(f"duplicates at the receiver (same webhook-id delivered twice): "
              f"{len(sink.ok()) - len({r.headers['webhook-id'] for r in sink.ok()})}")


async def _all_ok(sink: HttpSink, n: int) -> bool:
    return len({r.headers["webhook-id"] for r in sink.ok()}) >= n


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--referrals", type=int, default=400)
    parser.add_argument("--endpoints", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rate", type=int, default=100, help="events per second in the latency run")
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    infra = start_infra()
    smtp = SmtpSink().start()
    try:
        await throughput(infra, smtp, args.referrals, args.endpoints, args.workers)
        await latency(infra, smtp, args.rate, args.seconds, failure_rate=0.10)
    finally:
        smtp.stop()


if __name__ == "__main__":
    asyncio.run(main())
