"""Many concurrent consumers race for the last places of one contract, on real PostgreSQL."""
from __future__ import annotations

import asyncio
import random

import pytest
import pytest_asyncio
from sqlalchemy import func, select

from crs_shared.inbox import ConsumerRunner

from contracts.adapters import tables as t
from tests.contracts.support import award_body, message, referral_statuses, submitted
from tests.harness import auth, start_platform

pytestmark = [pytest.mark.integration]
CAP = 10
REFERRALS = 60
CONSUMERS = 12


class NoDeadLetters:
    async def publish(self, messages) -> None:
        raise AssertionError(f"a message was dead-lettered: {messages[0].headers.get('dlq_error', '')[-300:]}")


@pytest_asyncio.fixture(loop_scope="session")
async def contracts(infra, stack):
    platform = await start_platform(stack, infra=infra, transport="kafka", services=("contracts",),
                                    overrides={"contracts": {"run_workers": False}})
    return platform.contracts


@pytest.mark.asyncio(loop_scope="session")
async def test_concurrent_consumers_never_exceed_a_hard_cap_nor_count_twice(contracts) -> None:
    response = await contracts.client.post("/v1/contracts", json=award_body(cap=CAP), headers=auth("admin"))
    contract = response.json()
    events = [submitted(contract["reference"]) for _ in range(REFERRALS)]
    redelivered = random.Random(7).sample(events, 20)  # the same envelopes again (Kafka redelivery)
    resent = [submitted(contract["reference"], referral_id=e.data["referral_id"]) for e in events[:10]]
    messages = [message(e, i) for i, e in enumerate(events + redelivered + resent)]
    random.Random(11).shuffle(messages)

    runtime = contracts.runtime
    runners = [ConsumerRunner(runtime.consumers[0], runtime.inbox_table, runtime.sessions, None, NoDeadLetters())
               for _ in range(CONSUMERS)]

    async def consume(runner: ConsumerRunner, share: list) -> None:
        for m in share:
            await runner.process(m)

    await asyncio.gather(*(consume(r, messages[i::CONSUMERS]) for i, r in enumerate(runners)))

    statuses = await referral_statuses(contracts, contract["id"])
    assert len(statuses) == REFERRALS  # each referral decided exactly once
    assert list(statuses.values()).count("counted") == CAP
    assert list(statuses.values()).count("waitlisted") == REFERRALS - CAP
    async with runtime.sessions() as session:
        year = (await session.execute(select(t.contract_years).where(
            t.contract_years.c.contract_id == contract["id"], t.contract_years.c.year_number == 1))).one()
        counted_events = (await session.execute(select(func.count()).select_from(t.outbox_messages).where(
            t.outbox_messages.c.event_type == "contract.referral_counted"))).scalar_one()
    assert (year.volume, year.waitlisted) == (CAP, REFERRALS - CAP)
    assert counted_events == CAP
    assert sum(r.duplicates for r in runners) == len(redelivered)
