"""Benchmarks of the contracts service on real PostgreSQL (figures, not pass/fail tests).

    BENCH_PG_DSN=postgresql+asyncpg://crs@127.0.0.1:56432/postgres \
        .venv/bin/python bench/contracts/bench_contracts.py [--referrals 3000] [--large 1000000]

1. Counting under contention: the same number of referral.submitted events decided by
   concurrent consumers, spread evenly over 110 contracts vs 80% aimed at 5 of them.
   Checks zero over-allocation (no hard cap exceeded, counters equal to counted rows)
   and prints the throughput ratio (hot / even).
2. Summary endpoints: p95 latency at ~10k referrals vs a much larger volume of referral
   rows (bulk-inserted), showing the reads use pre-aggregated counters only.
Each run creates its own databases and leaves them (named bench_contracts_*).
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import AsyncExitStack
from pathlib import Path

import asyncpg
import httpx
from sqlalchemy import func, select, text

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from crs_shared.auth import issue_token  # noqa: E402
from crs_shared.inbox import ConsumerRunner  # noqa: E402
from contracts.adapters import tables as t  # noqa: E402
from contracts.app import create_app  # noqa: E402
from contracts.demo import demo_market  # noqa: E402
from contracts.settings import Settings  # noqa: E402
from tests.contracts.support import message, submitted  # noqa: E402

SECRET = "bench-secret-0123456789abcdef0123456789abcdef"
CONSUMERS = 8


async def new_database(dsn: str) -> str:
    base = dsn.replace("postgresql+asyncpg://", "postgresql://")
    name = f"bench_contracts_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(base)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return dsn.rsplit("/", 1)[0] + "/" + name


async def start(stack: AsyncExitStack, dsn: str, caps: int) -> tuple[object, httpx.AsyncClient, list[dict]]:
    url = await new_database(dsn)
    settings = Settings(environment="test", database_url=url, run_workers=False, transport="embedded",
                        embedded_log_path=str(Path(tempfile.mkdtemp()) / "events.db"), jwt_secret=SECRET,
                        db_pool_size=CONSUMERS + 2)
    app = create_app(settings)
    await stack.enter_async_context(app.router.lifespan_context(app))
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench",
                               headers={"Authorization": f"Bearer {issue_token(SECRET, role='admin')}"}, timeout=60)
    await stack.enter_async_context(client)
    market = demo_market()
    for body in market:
        for year in body["years"]:
            year["volume_cap"] = caps
            year["volume_estimate"] = min(year["volume_estimate"], caps)
            year["bands"] = []
        body["cap_policy"] = "hard"
        response = await client.post("/v1/contracts", json=body)
        assert response.status_code == 201, response.text
    return app, client, market


async def decide_all(app, events: list) -> float:
    runtime = app.state.runtime
    runners = [ConsumerRunner(runtime.consumers[0], runtime.inbox_table, runtime.sessions, None, None)
               for _ in range(CONSUMERS)]
    messages = [message(e, i) for i, e in enumerate(events)]

    async def consume(runner, share):
        for m in share:
            await runner.process(m)
    started = time.perf_counter()
    await asyncio.gather(*(consume(r, messages[i::CONSUMERS]) for i, r in enumerate(runners)))
    return time.perf_counter() - started


async def check_no_over_allocation(app) -> tuple[int, int]:
    async with app.state.runtime.sessions() as session:
        over = (await session.execute(select(func.count()).select_from(t.contract_years).where(
            t.contract_years.c.volume > t.contract_years.c.volume_cap))).scalar_one()
        mismatched = (await session.execute(text(
            "SELECT count(*) FROM contract_years y WHERE y.volume <> (SELECT count(*) FROM contract_referrals r "
            "WHERE r.contract_id = y.contract_id AND r.year_number = y.year_number AND r.status = 'counted')"
        ))).scalar_one()
        counted = (await session.execute(select(func.count()).select_from(t.contract_referrals).where(
            t.contract_referrals.c.status == "counted"))).scalar_one()
    assert over == 0 and mismatched == 0, (over, mismatched)
    return counted, over


def referrals(market: list[dict], n: int, *, hot: bool, seed: int) -> list:
    rng = random.Random(seed)
    hot_refs = [c["reference"] for c in market[:5]]
    refs = [c["reference"] for c in market]
    return [submitted(rng.choice(hot_refs) if hot and rng.random() < 0.8 else rng.choice(refs)) for _ in range(n)]


async def contention(dsn: str, n: int) -> None:
    print(f"== counting under contention: {n} referral.submitted, {CONSUMERS} concurrent consumers, 110 contracts")
    results = {}
    for label, hot in (("even", False), ("hot (80% on 5 contracts)", True)):
        async with AsyncExitStack() as stack:
            app, _, market = await start(stack, dsn, caps=max(n // 110 * 2, 10))
            await decide_all(app, referrals(market, 200, hot=hot, seed=1))  # warm-up
            seconds = await decide_all(app, referrals(market, n, hot=hot, seed=2))
            counted, over = await check_no_over_allocation(app)
            results[label] = n / seconds
            print(f"  {label:28s} {n / seconds:8.1f} decisions/s  counted={counted} over-allocated years={over}")
    ratio = results["hot (80% on 5 contracts)"] / results["even"]
    print(f"  throughput ratio hot/even = {ratio:.2f} (target >= 0.5); zero over-allocation: yes")


async def bulk_referrals(app, total: int) -> None:
    """Referral rows as the decisions would leave them, inserted in bulk (counters kept in step)."""
    async with app.state.runtime.engine.begin() as conn:
        await conn.execute(text("""
            INSERT INTO contract_referrals (contract_id, referral_id, year_number, status, submitted_at, decided_at,
                                            complexity, value_low, value_medium, value_high, started, completed)
            SELECT c.id, gen_random_uuid()::text, 1, 'counted', now(), now(), '{"ACC": "LOW"}', 300, 0, 0,
                   false, false
            FROM generate_series(1, :n) g
            JOIN (SELECT id, row_number() OVER (ORDER BY reference) - 1 AS k FROM contracts) c
              ON c.k = g % 110"""), {"n": total})
        await conn.execute(text("""
            UPDATE contract_years y SET volume = volume + s.n, volume_cap = volume_cap + s.n
            FROM (SELECT contract_id, count(*) AS n FROM contract_referrals GROUP BY contract_id) s
            WHERE y.contract_id = s.contract_id AND y.year_number = 1"""))
        await conn.execute(text("ANALYZE"))


async def p95(client: httpx.AsyncClient, paths: list[str], rounds: int) -> float:
    headers = {"Authorization": f"Bearer {issue_token(SECRET, role='commercial')}"}
    timings = []
    for _ in range(rounds):
        for path in paths:
            started = time.perf_counter()
            response = await client.get(path, headers=headers)
            timings.append(time.perf_counter() - started)
            assert response.status_code == 200, response.text
    return statistics.quantiles(timings, n=20)[18] * 1000


async def flat_reads(dsn: str, small: int, large: int, rounds: int) -> None:
    print(f"== summary endpoints p95: {small} vs {large} referral rows")
    async with AsyncExitStack() as stack:
        app, client, market = await start(stack, dsn, caps=1000)
        items = (await client.get("/v1/contracts", params={"limit": 500})).json()["items"]
        paths = [f"/v1/contracts/{c['id']}/summary" for c in items[:10]]
        paths += [f"/v1/contracts/{items[0]['id']}/weekly", "/v1/commercial/rollups/region", "/v1/commercial/at-risk"]
        await bulk_referrals(app, small)
        await p95(client, paths, 3)
        first = await p95(client, paths, rounds)
        await bulk_referrals(app, large - small)
        await p95(client, paths, 3)
        second = await p95(client, paths, rounds)
    print(f"  p95 at {small:>9,} referrals: {first:7.2f} ms")
    print(f"  p95 at {large:>9,} referrals: {second:7.2f} ms")
    print(f"  ratio large/small = {second / first:.2f} (target <= 1.5)")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--referrals", type=int, default=3000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    dsn = os.environ.get("BENCH_PG_DSN")
    if not dsn:
        raise SystemExit("set BENCH_PG_DSN=postgresql+asyncpg://user@host:port/postgres")
    await contention(dsn, args.referrals)
    await flat_reads(dsn, args.small, args.large, args.rounds)


if __name__ == "__main__":
    asyncio.run(main())
