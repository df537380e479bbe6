"""`contract.at_risk` on real PostgreSQL: raised once per contract year and risk kind, when the forecast
first crosses into it, by the counting decision or by the periodic check."""
from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
import pytest_asyncio

from crs_shared.db import utcnow
from contracts.service.risk import check_all
from contracts.service.uow import ContractsUnitOfWork
from tests.contracts.support import award_body, contract_events, publish, referral_statuses, submitted
from tests.harness import auth, eventually, start_platform

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]
ADMIN, COMMERCIAL = auth("admin"), auth("commercial")
START = date.today() - timedelta(days=100)  # far enough into the year for the run rate to count
TERM = {"start_date": START.isoformat(),
        "end_date": (date(START.year + 2, START.month, 1) - timedelta(days=1)).isoformat()}
# A guaranteed minimum of 40 referrals a year (the lowest band starts at 40).
BANDS = [{"low": 40, "high": 59, "value": "50000"}, {"low": 60, "high": 79, "value": "60000"},
         {"low": 80, "high": 99, "value": "70000"}, {"low": 100, "high": 120, "value": "80000"}]


@pytest_asyncio.fixture(loop_scope="session")
async def contracts(infra, stack):
    platform = await start_platform(stack, infra=infra, transport="kafka", services=("contracts",),
                                    overrides={"contracts": {"risk_check_interval_s": 0.3}})
    return platform.contracts


async def award(contracts, **kwargs) -> dict:
    response = await contracts.client.post("/v1/contracts", json=award_body(**TERM, **kwargs), headers=ADMIN)
    assert response.status_code == 201, response.text
    return response.json()


async def risks_of(contracts, contract: dict) -> list[dict]:
    return [e["data"] for e in await contract_events(contracts, "contract.at_risk")
            if e["data"]["contract_id"] == contract["id"]]


async def check_now(contracts) -> int:
    runtime = contracts.runtime
    async with ContractsUnitOfWork(runtime.sessions, runtime.outbox, "contracts") as uow:
        raised = await check_all(uow, utcnow().date())
        await uow.commit()
    return raised


async def decided(contracts, contract: dict, n: int) -> dict[str, str]:
    async def check():
        statuses = await referral_statuses(contracts, contract["id"])
        assert len(statuses) == n, statuses
        return statuses
    return await eventually(check)


async def test_over_cap_is_raised_once_when_counting_crosses_into_it(contracts) -> None:
    contract = await award(contracts, cap=40, bands=[])  # no bands: no guaranteed minimum
    await publish(contracts, *(submitted(contract["reference"]) for _ in range(11)))
    await decided(contracts, contract, 11)
    assert await risks_of(contracts, contract) == []  # 11 in 101 days heads for 40: at the cap, not over

    await publish(contracts, submitted(contract["reference"]))  # the 12th: the forecast goes over the cap
    await decided(contracts, contract, 12)
    risks = await risks_of(contracts, contract)
    assert [(r["risk"], r["contract_year"], r["projected_volume"]) for r in risks] == [("over_cap", 1, 43)]

    await publish(contracts, *(submitted(contract["reference"]) for _ in range(5)))
    await decided(contracts, contract, 17)
    assert await check_now(contracts) == 0
    assert len(await risks_of(contracts, contract)) == 1  # still at risk, never told twice
    at_risk = (await contracts.client.get("/v1/commercial/at-risk", headers=COMMERCIAL)).json()["items"]
    assert [c["risks"] for c in at_risk if c["reference"] == contract["reference"]] == [["over_cap"]]


async def test_heading_below_the_guaranteed_minimum_is_raised_once_by_the_periodic_check(contracts) -> None:
    # The healthy contract's referrals arrive before it is awarded, so that it is never seen without them.
    reference = f"ACC{uuid.uuid4().hex[:6].upper()}"
    await publish(contracts, *(submitted(reference) for _ in range(20)))

    async def kept_unmatched():
        r = await contracts.client.get("/v1/commercial/unmatched-referrals", headers=COMMERCIAL)
        return len([i for i in r.json()["items"] if i["contract_reference"] == reference]) == 20
    await eventually(kept_unmatched)
    healthy = await award(contracts, cap=120, bands=BANDS, reference=reference)  # heading for about 72
    await decided(contracts, healthy, 20)
    quiet = await award(contracts, cap=120, bands=BANDS)  # no referrals in 100 days: heading for 0 of 40

    async def raised():
        risks = await risks_of(contracts, quiet)
        assert risks, "not raised yet"
        return risks
    risks = await eventually(raised, timeout=30)
    assert [(r["risk"], r["projected_volume"], r["region_code"]) for r in risks] == [
        ("under_guaranteed_minimum", 0, "A")]
    assert await check_now(contracts) == 0  # the worker and this check both ran: one event
    assert len(await risks_of(contracts, quiet)) == 1
    assert await risks_of(contracts, healthy) == []
