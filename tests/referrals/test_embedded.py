"""The same service on SQLite with the embedded transport (what `make run` uses)."""
from __future__ import annotations

import uuid

import pytest

from crs_shared.events import topics
from tests.harness import start_platform
from tests.referrals import support as s
from tests.referrals.walk import catalogue, report, walk_to

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]


async def test_a_referral_completes_on_sqlite(stack) -> None:
    platform = await start_platform(stack, infra=None, transport="embedded", services=("referrals",),
                                    overrides={"referrals": {"sla_poll_interval_s": 0.2}})
    svc = platform.referrals
    cat = await catalogue(svc)
    rid = await walk_to(svc, cat, "in_delivery", sessions=1)
    assert (await report(svc, cat, rid))["state"] == "completed"
    listed = (await svc.client.get("/v1/partner/referrals", headers=s.provider(cat.prime), params={"limit": 1})).json()
    assert [i["id"] for i in listed["items"]] == [rid]
    waiting = await walk_to(svc, cat, "submitted")
    await s.publish(svc, topics.CONTRACTS, s.waitlisted_event(uuid.UUID(waiting)))
    await s.state_of(svc, waiting, s.practitioner(), "waitlisted")
