"""The walking skeleton, end to end through every service's public API.

A provider and its contract and intervention are set up by admins; 500 practitioners'
referrals are submitted concurrently; each is counted against the contract exactly once,
moves to `sent`, and its provider is notified exactly once, also when every event is
delivered a second time. The same test runs on real Kafka (PostgreSQL databases) and on
the embedded transport (SQLite files), as `make run` uses.
"""
from __future__ import annotations

import asyncio
from collections import Counter
from contextlib import AsyncExitStack

import pytest
from sqlalchemy import func, select

from crs_shared.transport.base import OutgoingMessage
from tests.e2e.market import COMMERCIAL, referral_body, setup_market
from tests.harness import auth, eventually, start_platform
from tests.notifications.sinks import SmtpSink

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]

REFERRALS = 500


async def submit_all(platform, intervention_id: str) -> list[str]:
    practitioner = auth("practitioner", subject="pat", team_code="KT1", region_code="K",
                        email="pat@probation.example")
    client = platform.referrals.client
    gate = asyncio.Semaphore(50)

    async def submit(n: int) -> str:
        async with gate:
            r = await client.post("/v1/referrals/submit", json=referral_body(intervention_id, n),
                                  headers={**practitioner, "Idempotency-Key": f"e2e-{n}"})
        assert r.status_code in (200, 201), r.text
        return r.json()["id"]

    async def catalogue_arrived() -> bool:
        r = await client.post("/v1/referrals/submit", json=referral_body(intervention_id, 0),
                              headers={**practitioner, "Idempotency-Key": "e2e-0"})
        return r.status_code in (200, 201)

    await eventually(catalogue_arrived, timeout=60, interval=0.2)  # the intervention reached referrals
    ids = await asyncio.gather(*(submit(n) for n in range(REFERRALS)))
    assert len(set(ids)) == REFERRALS
    return ids


async def count_rows(service, table, *where) -> int:
    async with service.runtime.sessions() as session:
        return await session.scalar(select(func.count()).select_from(table).where(*where))


async def redeliver_everything(platform) -> None:
    """Publish every event the services have published once more, as a replay would."""
    for name in ("providers", "referrals", "contracts"):
        service = getattr(platform, name)
        table = service.runtime.outbox_table
        async with service.runtime.sessions() as session:
            rows = (await session.execute(select(table.c.topic, table.c.key, table.c.payload))).all()
        await service.runtime.transport.publisher().publish(
            [OutgoingMessage(topic=r.topic, key=r.key, value=r.payload.encode()) for r in rows])


async def assert_each_counted_and_notified_once(platform, market, referral_ids, smtp) -> None:
    from contracts.adapters.tables import contract_referrals
    from notifications.adapters.tables import notifications
    from referrals.adapters.tables import referrals

    async def all_sent() -> bool:
        return await count_rows(platform.referrals, referrals, referrals.c.state == "sent") == REFERRALS

    await eventually(all_sent, timeout=180, interval=0.5)
    assert await count_rows(platform.contracts, contract_referrals) == REFERRALS
    summary = (await platform.contracts.client.get(f"/v1/contracts/{market['contract_id']}/summary",
                                                   headers=COMMERCIAL)).json()
    assert summary["volume"] == REFERRALS, summary

    async def all_notified() -> bool:
        async with platform.notifications.runtime.sessions() as session:
            rows = (await session.execute(
                select(notifications.c.referral_id, func.count())
                .where(notifications.c.event_type == "referral.sent",
                       notifications.c.organisation_id == market["provider_id"])
                .group_by(notifications.c.referral_id))).all()
        per_referral = dict(rows)
        assert all(n == 1 for n in per_referral.values()), Counter(per_referral.values())
        return set(per_referral) == set(referral_ids)

    await eventually(all_notified, timeout=120, interval=0.5)

    async def all_mailed() -> bool:
        mailed = [m for m in smtp.messages if "referrals@kent-homes.example.org" in m.get("To", "")]
        return len(mailed) >= REFERRALS

    await eventually(all_mailed, timeout=180, interval=0.5)


@pytest.mark.parametrize("transport", ["kafka", "embedded"])
async def test_500_concurrent_referrals_counted_and_notified_exactly_once(transport, request):
    infra = request.getfixturevalue("infra") if transport == "kafka" else None
    smtp = SmtpSink()
    smtp.start()
    try:
        async with AsyncExitStack() as stack:
            platform = await start_platform(
                stack, infra=infra, transport=transport,
                overrides={"notifications": {"smtp_port": smtp.port}},
            )
            market = await setup_market(platform)
            referral_ids = await submit_all(platform, market["intervention_id"])
            await assert_each_counted_and_notified_once(platform, market, referral_ids, smtp)

            handled_before = {r.consumer.name: r.handled for s in platform.services.values() for r in s.runtime.runners}
            await redeliver_everything(platform)

            async def duplicates_seen() -> bool:
                return sum(r.duplicates for s in platform.services.values() for r in s.runtime.runners) >= 2 * REFERRALS
            await eventually(duplicates_seen, timeout=180, interval=0.5)
            await assert_each_counted_and_notified_once(platform, market, referral_ids, smtp)
            handled_after = {r.consumer.name: r.handled for s in platform.services.values() for r in s.runtime.runners}
            assert handled_after == handled_before, "a redelivered event was handled again"
            mailed = [m for m in smtp.messages if "referrals@kent-homes.example.org" in m.get("To", "")]
            assert len(mailed) == REFERRALS, "an email was sent twice"
    finally:
        smtp.stop()
