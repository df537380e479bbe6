"""A correlation id travels from the HTTP request through every event it causes, across services."""
from __future__ import annotations

import json
from contextlib import AsyncExitStack

import pytest
from sqlalchemy import select

from tests.e2e.market import referral_body, setup_market
from tests.harness import auth, eventually, start_platform

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]


async def outbox_events(service, event_type: str) -> list[dict]:
    table = service.runtime.outbox_table
    async with service.runtime.sessions() as session:
        rows = (await session.execute(select(table.c.payload).where(table.c.event_type == event_type))).scalars()
        return [json.loads(r) for r in rows]


async def test_request_correlation_id_reaches_the_events_of_every_service(infra):
    async with AsyncExitStack() as stack:
        platform = await start_platform(stack, infra=infra, services=("providers", "referrals", "contracts"))
        market = await setup_market(platform)
        headers = {**auth("practitioner", subject="pat", team_code="KT1", region_code="K"),
                   "Idempotency-Key": "corr-1", "X-Correlation-ID": "trace-abc-123"}

        async def submitted():
            r = await platform.referrals.client.post(
                "/v1/referrals/submit", json=referral_body(market["intervention_id"], 1), headers=headers)
            return r if r.status_code == 201 else None

        response = await eventually(submitted)
        assert response.headers["X-Correlation-ID"] == "trace-abc-123"

        async def caused_events():
            counted = await outbox_events(platform.contracts, "contract.referral_counted")
            sent = await outbox_events(platform.referrals, "referral.sent")
            return (counted and sent) and (counted, sent)

        counted, sent = await eventually(caused_events)
        [submitted_event] = await outbox_events(platform.referrals, "referral.submitted")
        assert submitted_event["correlation_id"] == "trace-abc-123"
        assert counted[0]["correlation_id"] == "trace-abc-123"  # decided by the contracts service
        assert sent[0]["correlation_id"] == "trace-abc-123"  # moved on by the referrals consumer
