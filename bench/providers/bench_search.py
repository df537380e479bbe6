"""Benchmark: PCC-area search over 2,000 interventions on real PostgreSQL.

    BENCH_PG_DSN=postgresql+asyncpg://crs@127.0.0.1:56432/postgres .venv/bin/python bench/providers/bench_search.py

Creates a scratch database on that server (dropped afterwards), applies the providers
migrations, seeds providers and interventions (30% region-scoped, 70% PCC-area scoped),
then times, in the same run: a `SELECT 1` round trip and a primary-key lookup (baselines),
the search use case, and the search through the HTTP API (in-process ASGI).
"""
from __future__ import annotations

import asyncio
import os
import random
import statistics
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import asyncpg
import httpx
from sqlalchemy import text

from crs_shared import db
from crs_shared.auth import issue_token
from crs_shared.migrations import upgrade
from crs_shared.outbox import Outbox
from providers.adapters.tables import outbox_messages
from providers.app import MIGRATIONS, create_app
from providers.domain.intervention import CategoryOffer, Eligibility, Intervention, InterventionDefinition
from providers.domain.provider import Provider, ProviderDetails
from providers.domain.search import SearchQuery
from providers.service.interventions import get_intervention, search_interventions, store
from providers.service.uow import CatalogueUoW, ReferenceCache
from providers.settings import Settings

INTERVENTIONS = int(os.environ.get("BENCH_INTERVENTIONS", "2000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "300"))
SECRET = "bench-secret-0123456789abcdef0123456789abcdef"


def pct(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def timed(label: str, fn, rounds: int = ROUNDS) -> tuple[str, float, float]:
    for _ in range(20):  # warm-up: connections, statement caches
        await fn()
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        await fn()
        samples.append((time.perf_counter() - start) * 1000)
    return label, statistics.median(samples), pct(samples, 95)


async def seed(uow_factory, rng: random.Random) -> list[uuid.UUID]:
    async with uow_factory() as uow:
        ref = await uow.reference_data()
        prime_ids = []
        for n in range(60):
            p = Provider.register(ProviderDetails(f"Provider {n:03}", "VCSE", f"p{n}@bench.example.org",
                                                  f"{1100000 + n}"))
            await uow.providers.add(p)
            prime_ids.append(p.id)
        regions, areas = sorted(ref.region_codes), sorted(ref.pcc_area_regions)
        types = sorted(ref.contract_type_categories)
        ids = []
        for n in range(INTERVENTIONS):
            ct = rng.choice(types)
            cats = rng.sample(ref.contract_type_categories[ct], k=min(2, len(ref.contract_type_categories[ct])))
            region_scoped = rng.random() < 0.3
            start = date(2025, 1, 1) + timedelta(days=rng.randrange(0, 900))
            d = InterventionDefinition(
                title=f"{ct} service {n:05}", description="bench", contract_type=ct,
                service_categories=tuple(CategoryOffer(c, ("LOW", "MEDIUM", "HIGH"), ()) for c in cats),
                area_kind="region" if region_scoped else "pcc_area",
                area_code=rng.choice(regions) if region_scoped else rng.choice(areas),
                eligibility=Eligibility(18, rng.choice([None, 25, 65]), True, rng.random() < 0.9),
                prime_provider_id=rng.choice(prime_ids), subcontractor_provider_ids=(),
                contract_reference=f"BENCH-{n:05}", open_from=start,
                open_to=start + timedelta(days=rng.randrange(180, 1100)) if rng.random() < 0.7 else None,
            )
            i = Intervention.publish(d, db.utcnow())
            await store(uow, i, new=True)
            ids.append(i.id)
            if n % 250 == 0:
                await uow.flush_events()
        await uow.commit()
    return ids


async def main() -> None:
    dsn = os.environ.get("BENCH_PG_DSN")
    if not dsn:
        sys.exit("set BENCH_PG_DSN, e.g. postgresql+asyncpg://crs@127.0.0.1:56432/postgres")
    server = dsn.replace("postgresql+asyncpg://", "postgresql://")
    name = f"bench_providers_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(server)
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = dsn.rsplit("/", 1)[0] + "/" + name
    try:
        await upgrade(Path(MIGRATIONS), url)
        engine = db.create_engine(url, pool_size=5)
        sessions, cache = db.session_factory(engine), ReferenceCache()
        uow = lambda: CatalogueUoW(sessions, Outbox(outbox_messages), "providers", cache)  # noqa: E731
        rng = random.Random(42)
        t0 = time.perf_counter()
        ids = await seed(uow, rng)
        async with engine.begin() as conn:
            await conn.execute(text("ANALYZE"))
        print(f"seeded {len(ids)} interventions in {time.perf_counter() - t0:.1f}s")

        async with uow() as u:
            areas = sorted((await u.reference_data()).pcc_area_regions)

        async def select_1() -> None:
            async with sessions() as s:
                await s.execute(text("SELECT 1"))

        async def pk_lookup() -> None:
            await get_intervention(uow(), rng.choice(ids))

        async def search_area() -> None:
            await search_interventions(uow(), SearchQuery(pcc_area=rng.choice(areas), limit=25))

        async def search_full() -> None:
            await search_interventions(uow(), SearchQuery(
                pcc_area=rng.choice(areas), service_category="accommodation", age=30, sex="female",
                open_on=date(2026, 6, 1), limit=25))

        settings = Settings(environment="test", database_url=url, transport="embedded",
                            embedded_log_path=f"/tmp/{name}-events.db", jwt_secret=SECRET, run_workers=False)
        app = create_app(settings)
        headers = {"Authorization": f"Bearer {issue_token(SECRET, role='practitioner')}"}
        results = [await timed("SELECT 1 round trip (baseline)", select_1),
                   await timed("intervention by id (baseline)", pk_lookup),
                   await timed("search: pcc_area", search_area),
                   await timed("search: area+category+age+sex+open_on", search_full)]
        async with app.router.lifespan_context(app):
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as client:
                async def http_search() -> None:
                    r = await client.get("/v1/interventions", params={"pcc_area": rng.choice(areas)}, headers=headers)
                    assert r.status_code == 200

                results.append(await timed("HTTP GET /v1/interventions?pcc_area", http_search))
        async with engine.connect() as conn:
            plan = (await conn.execute(text(
                "EXPLAIN ANALYZE SELECT i.id FROM interventions i JOIN intervention_coverage c "
                "ON c.intervention_id = i.id AND c.pcc_area_code = 'kent' WHERE i.status = 'open' "
                "ORDER BY i.title, i.id LIMIT 26"))).scalars().all()
        await engine.dispose()

        base = results[0][1]
        print(f"\n{'measure':42} {'p50 ms':>8} {'p95 ms':>8} {'p50 / SELECT 1':>15}")
        for label, p50, p95 in results:
            print(f"{label:42} {p50:8.2f} {p95:8.2f} {p50 / base:14.1f}x")
        print("\nplan of the PCC-area query (kent):")
        print("\n".join("  " + line for line in plan))
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


if __name__ == "__main__":
    asyncio.run(main())
