"""Service-level breaches (once per deadline, across restarts) and the deletion of stale drafts."""
from __future__ import annotations

import asyncio
import dataclasses
from contextlib import AsyncExitStack
from datetime import timedelta

import pytest

from referrals.service.clock import Clock
from referrals.service.timers import report_breaches
from tests.harness import eventually, start_platform
from tests.referrals import support as s
from tests.referrals.conftest import FAST_TIMERS
from tests.referrals.walk import catalogue, walk_to

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]


async def start(stack: AsyncExitStack, infra, **overrides):
    platform = await start_platform(stack, infra=infra, transport="kafka", services=("referrals",),
                                    overrides={"referrals": {**FAST_TIMERS, **overrides}})
    return platform.referrals, platform.topic_prefix


async def timer_passes(svc, more: int) -> None:
    timer = svc.runtime.workers["sla-timer"]
    target = timer.passes + more

    async def ran() -> bool:
        return timer.passes >= target

    await eventually(ran)


async def test_an_sla_breach_is_reported_once_across_restarts(infra) -> None:
    async with AsyncExitStack() as stack:
        svc, prefix = await start(stack, infra)
        cat = await catalogue(svc)
        rid = await walk_to(svc, cat, "sent")
        met = await walk_to(svc, cat, "accepted")  # responded in time: never breached
        await timer_passes(svc, 2)
        body = (await svc.client.get(f"/v1/referrals/{rid}", headers=s.practitioner())).json()
        assert body["deadlines"][0]["breached_at"] is None  # not due yet in real time
        database_url = svc.settings.database_url

    for _ in range(2):  # two more lives of the service on the same database and topics
        async with AsyncExitStack() as stack:
            svc, _ = await start(stack, infra, database_url=database_url, topic_prefix=prefix)
            svc.app.state.referrals.clock.advance(timedelta(days=7))

            async def breached() -> bool:
                r = (await svc.client.get(f"/v1/referrals/{rid}", headers=s.practitioner())).json()
                return r["deadlines"][0]["breached_at"] is not None

            await eventually(breached)
            await timer_passes(svc, 3)

        counts = await _counts(infra, prefix, database_url, rid)
        assert counts["referral.sla_breached"] == 1
    async with AsyncExitStack() as stack:
        svc, _ = await start(stack, infra, database_url=database_url, topic_prefix=prefix)
        assert "referral.sla_breached" not in await s.published(svc, 3, key=met)


async def _counts(infra, prefix: str, database_url: str, rid: str):
    async with AsyncExitStack() as stack:
        svc, _ = await start(stack, infra, database_url=database_url, topic_prefix=prefix)
        return await s.published(svc, 3, key=rid)


async def test_drafts_untouched_for_90_days_are_deleted(platform) -> None:
    svc = platform.referrals
    cat = await catalogue(svc)
    pp = s.practitioner()
    old = (await svc.client.post("/v1/referrals", headers=pp, json={"intervention_id": str(cat.intervention_id)})).json()
    submitted = await walk_to(svc, cat, "submitted")
    clock = svc.app.state.referrals.clock
    clock.advance(timedelta(days=60))
    recent = (await svc.client.post("/v1/referrals", headers=pp, json={})).json()
    clock.advance(timedelta(days=31))

    async def deleted() -> bool:
        return (await svc.client.get(f"/v1/referrals/{old['id']}", headers=pp)).status_code == 404

    await eventually(deleted)
    assert (await svc.client.get(f"/v1/referrals/{recent['id']}", headers=pp)).status_code == 200
    assert (await svc.client.get(f"/v1/referrals/{submitted}", headers=pp)).status_code == 200


async def test_concurrent_timers_report_a_breach_once(platform) -> None:
    svc = platform.referrals
    cat = await catalogue(svc)
    rid = await walk_to(svc, cat, "sent")
    later = Clock()
    later.advance(timedelta(days=400))  # a private clock: the service's own timer keeps real time
    ctx = dataclasses.replace(svc.app.state.referrals, clock=later)
    reported = await asyncio.gather(*[report_breaches(ctx) for _ in range(4)])
    assert sum(reported) == 1
    assert (await s.published(svc, 3, key=rid))["referral.sla_breached"] == 1
