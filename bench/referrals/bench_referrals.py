"""Benchmarks of the referrals service on real PostgreSQL (figures, not pass/fail tests).

    .venv/bin/python bench/referrals/bench_referrals.py [--referrals 50000]

Bulk-loads referrals (half of them sent, each with a service-level deadline, a few due) then:
1. SLA timer: the due-deadline claim (`FOR UPDATE SKIP LOCKED` on the partial index) vs the
   same query after dropping that index (baseline), median of repeated runs.
2. Partner list: a page deep in one provider's referrals by keyset cursor vs by OFFSET
   (baseline, what a naive API would do).
Uses the test infrastructure (deploy/local/infra.sh up test) and a fresh database.
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
import uuid
from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select, text

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from referrals.adapters.deadline_repository import DeadlineRepository  # noqa: E402
from referrals.adapters.referral_queries import Filters, ReferralQueries, provider_scope  # noqa: E402
from referrals.adapters.tables import referral_deadlines, referral_providers, referrals  # noqa: E402
from tests.harness import start_infra, start_platform  # noqa: E402


async def load(sessions, n: int, provider: uuid.UUID) -> None:
    now = datetime.now(UTC)
    for start in range(0, n, 5000):
        rows, links, deadlines = [], [], []
        for i in range(start, min(start + 5000, n)):
            rid = uuid.uuid4()
            sent = now - timedelta(minutes=i) if i % 2 == 0 else None
            rows.append({"id": rid, "state": "sent" if sent else "submitted", "crn": "X123456",
                         "created_by": f"pp-{i % 300}", "content": {}, "delivery": {}, "created_at": now,
                         "updated_at": now, "sent_at": sent, "version": 0, "intervention_version": 1})
            links.append({"referral_id": rid, "provider_id": provider if i % 10 == 0 else uuid.uuid4()})
            if sent:
                due = now - timedelta(hours=1) if i % 1000 == 0 else now + timedelta(days=2)
                deadlines.append({"referral_id": rid, "sla": "provider_response", "due_date": due.date(),
                                  "due_at": due, "resolved_at": now if i % 4 == 0 else None})
        async with sessions() as session, session.begin():
            await session.execute(insert(referrals), rows)
            await session.execute(insert(referral_providers), links)
            await session.execute(insert(referral_deadlines), deadlines)
    async with sessions() as session, session.begin():
        await session.execute(text("ANALYZE"))


async def median_ms(run, repeat: int = 30) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        await run()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


async def main(n: int) -> None:
    infra = start_infra()
    async with AsyncExitStack() as stack:
        platform = await start_platform(stack, infra=infra, transport="embedded", services=("referrals",),
                                        overrides={"referrals": {"run_workers": False}})
        sessions = platform.referrals.runtime.sessions
        provider = uuid.uuid4()
        t0 = time.perf_counter()
        await load(sessions, n, provider)
        print(f"loaded {n} referrals in {time.perf_counter() - t0:.1f}s")

        async def claim() -> None:
            async with sessions() as session, session.begin():
                await DeadlineRepository(session).claim_due(datetime.now(UTC), 200)
                await session.rollback()

        indexed = await median_ms(claim)
        async with sessions() as session, session.begin():
            await session.execute(text("DROP INDEX ix_referral_deadlines_pending"))
        unindexed = await median_ms(claim)
        print(f"SLA claim of due deadlines: {indexed:.2f} ms with the partial index, {unindexed:.2f} ms without "
              f"(baseline/indexed = {unindexed / indexed:.1f}x)")

        depth, limit = n // 20 - 50, 25
        async with sessions() as session:
            queries = ReferralQueries(session)
            cursor = None
            page = await queries.page(provider_scope(provider), Filters(), order_by="sent_at", limit=depth,
                                      cursor=None)
            cursor = page.next_cursor

            async def keyset() -> None:
                await queries.page(provider_scope(provider), Filters(), order_by="sent_at", limit=limit, cursor=cursor)

            async def offset() -> None:
                await session.execute(select(referrals.c.id).where(*provider_scope(provider),
                                                                   referrals.c.sent_at.is_not(None))
                                      .order_by(referrals.c.sent_at.desc(), referrals.c.id.desc())
                                      .offset(depth).limit(limit + 1))

            k, o = await median_ms(keyset), await median_ms(offset)
        print(f"partner page at depth {depth}: keyset {k:.2f} ms, offset {o:.2f} ms (offset/keyset = {o / k:.1f}x)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--referrals", type=int, default=50000)
    asyncio.run(main(parser.parse_args().referrals))
