"""Capacity decisions fed by real referral.submitted events over Kafka, on real PostgreSQL."""
from __future__ import annotations

import uuid

import pytest
import pytest_asyncio

from tests.contracts.support import (
    attended, award_body, contract_events, publish, referral_statuses, submitted, withdrawn,
)
from tests.harness import auth, eventually, start_platform

pytestmark = [pytest.mark.integration]
ADMIN = auth("admin")


@pytest_asyncio.fixture(loop_scope="session")
async def contracts(infra, stack):
    platform = await start_platform(stack, infra=infra, transport="kafka", services=("contracts",))
    return platform.contracts


async def award(contracts, **kwargs) -> dict:
    response = await contracts.client.post("/v1/contracts", json=award_body(**kwargs), headers=ADMIN)
    assert response.status_code == 201, response.text
    return response.json()


def for_contract(events: list[dict], contract: dict) -> list[dict]:
    return [e["data"] for e in events if e["data"]["contract_id"] == contract["id"]]


async def summary(contracts, contract: dict) -> dict:
    return (await contracts.client.get(f"/v1/contracts/{contract['id']}/summary", headers=auth("commercial"))).json()


@pytest.mark.asyncio(loop_scope="session")
async def test_hard_cap_counts_up_to_cap_then_waitlists_and_a_withdrawal_frees_a_place(contracts) -> None:
    contract = await award(contracts, cap=3, bands=[])
    events = [submitted(contract["reference"]) for _ in range(5)]
    await publish(contracts, *events)

    async def decided():
        statuses = await referral_statuses(contracts, contract["id"])
        assert len(statuses) == 5, statuses
        return statuses
    statuses = await eventually(decided)
    assert sorted(statuses.values()) == ["counted"] * 3 + ["waitlisted"] * 2
    counted = for_contract(await contract_events(contracts, "contract.referral_counted"), contract)
    assert [c["volume"] for c in counted] == [1, 2, 3] and counted[0]["contract_year"] == 1
    waiting = for_contract(await contract_events(contracts, "contract.referral_waitlisted"), contract)
    assert [w["position"] for w in waiting] == [1, 2]
    # Referrals have their own partition keys, so arrival order decides; the waitlist keeps it.
    ids = [c["referral_id"] for c in counted] + [w["referral_id"] for w in waiting]
    thresholds = for_contract(await contract_events(contracts, "contract.volume_threshold_reached"), contract)
    assert sorted(t["threshold_percent"] for t in thresholds) == [75, 90, 100]

    await publish(contracts, withdrawn(uuid.UUID(ids[0])))

    async def promoted():
        statuses = await referral_statuses(contracts, contract["id"])
        assert statuses[ids[0]] == "withdrawn" and statuses[ids[3]] == "counted", statuses
        return statuses
    statuses = await eventually(promoted)
    assert statuses[ids[4]] == "waitlisted"
    from_waitlist = [c for c in for_contract(await contract_events(contracts, "contract.referral_counted"), contract)
                     if c["from_waitlist"]]
    assert [c["referral_id"] for c in from_waitlist] == [ids[3]]
    s = await summary(contracts, contract)
    assert (s["volume"], s["waitlisted"], s["withdrawn"]) == (3, 1, 1)


@pytest.mark.asyncio(loop_scope="session")
async def test_a_variation_raising_the_cap_counts_the_oldest_waiting(contracts) -> None:
    contract = await award(contracts, cap=1, bands=[])
    first, second, third = (submitted(contract["reference"]) for _ in range(3))
    await publish(contracts, first, second, third)
    await eventually(lambda: _count(contracts, contract, 3))
    years = [dict(award_body(cap=2, bands=[])["years"][0]), award_body(cap=1, bands=[])["years"][1]]
    response = await contracts.client.post(f"/v1/contracts/{contract['id']}/variations", headers=ADMIN,
                                           json={"reason": "more money", "years": years})
    assert response.status_code == 201
    waiting = [w["referral_id"] for w in for_contract(
        await contract_events(contracts, "contract.referral_waitlisted"), contract)]
    statuses = await referral_statuses(contracts, contract["id"])
    assert [statuses[r] for r in waiting] == ["counted", "waitlisted"]


async def _count(contracts, contract, n: int) -> bool:
    statuses = await referral_statuses(contracts, contract["id"])
    assert len(statuses) == n, statuses
    return True


@pytest.mark.asyncio(loop_scope="session")
async def test_soft_cap_counts_beyond_cap_with_an_overrun_alert_and_bands_move(contracts) -> None:
    contract = await award(contracts, cap=5, policy="soft")
    await publish(contracts, *(submitted(contract["reference"]) for _ in range(7)))
    await eventually(lambda: _count(contracts, contract, 7))
    assert set((await referral_statuses(contracts, contract["id"])).values()) == {"counted"}
    overruns = for_contract(await contract_events(contracts, "contract.cap_overrun"), contract)
    assert [o["volume"] for o in overruns] == [6, 7]
    bands = for_contract(await contract_events(contracts, "contract.band_changed"), contract)
    assert [(b["previous_band"], b["band"]) for b in bands] == [(1, 2)]
    s = await summary(contracts, contract)
    assert s["band"] == 2 and s["volume"] == 7 and s["overrun"] == 2
    assert s["notional_value"] == {"LOW": "0.00", "MEDIUM": "0.00", "HIGH": "7700.00", "total": "7700.00"}
    assert (s["fixed_price"], s["band_value"], s["guaranteed_minimum"]) == ("80000.00", "60000.00", "50000.00")
    assert s["bands"][0] == {"band": 1, "low": 0, "high": 4, "value": "50000.00"}


@pytest.mark.asyncio(loop_scope="session")
async def test_redelivered_and_resent_referrals_are_counted_once(contracts) -> None:
    contract = await award(contracts, cap=10)
    event = submitted(contract["reference"])
    resent = submitted(contract["reference"], referral_id=event.data["referral_id"])  # new event id, same referral
    await publish(contracts, event, event, resent)
    await eventually(lambda: _count(contracts, contract, 1))
    s = await summary(contracts, contract)
    assert s["volume"] == 1


@pytest.mark.asyncio(loop_scope="session")
async def test_unmatched_reference_is_kept_and_decided_when_the_contract_is_awarded(contracts) -> None:
    reference = f"LATE{uuid.uuid4().hex[:6].upper()}"
    event = submitted(reference)
    await publish(contracts, event)

    async def listed():
        items = (await contracts.client.get("/v1/commercial/unmatched-referrals", headers=auth("commercial"))).json()
        assert reference in [i["contract_reference"] for i in items["items"]]
        return True
    await eventually(listed)
    assert not for_contract_ref(await contract_events(contracts, "contract.referral_counted"), reference)
    contract = await award(contracts, reference=reference)
    statuses = await referral_statuses(contracts, contract["id"])
    assert statuses == {str(event.data["referral_id"]): "counted"}
    items = (await contracts.client.get("/v1/commercial/unmatched-referrals", headers=auth("commercial"))).json()
    assert reference not in [i["contract_reference"] for i in items["items"]]


def for_contract_ref(events: list[dict], reference: str) -> list[dict]:
    return [e for e in events if e["data"]["contract_reference"] == reference]


@pytest.mark.asyncio(loop_scope="session")
async def test_started_completed_and_withdrawn_after_start_are_tracked(contracts) -> None:
    contract = await award(contracts, cap=1, bands=[])
    first, waiting = submitted(contract["reference"]), submitted(contract["reference"])
    await publish(contracts, first, waiting)
    await eventually(lambda: _count(contracts, contract, 2))
    counted = for_contract(await contract_events(contracts, "contract.referral_counted"), contract)
    rid = uuid.UUID(counted[0]["referral_id"])  # whichever arrived first took the place
    await publish(contracts, attended(rid), attended(rid), withdrawn(rid, delivery_started=True))

    async def tracked():
        s = await summary(contracts, contract)
        assert (s["started"], s["withdrawn"]) == (1, 1), s
        return s
    s = await eventually(tracked)
    assert s["volume"] == 1 and s["waitlisted"] == 1  # delivery had started: the place is not freed
    weekly = (await contracts.client.get(f"/v1/contracts/{contract['id']}/weekly", headers=auth("commercial"))).json()
    assert weekly["weeks"][-1]["cumulative"] == 1 and sum(w["started"] for w in weekly["weeks"]) == 1


@pytest.mark.asyncio(loop_scope="session")
async def test_a_new_contract_year_counts_referrals_waiting_from_the_last_one(contracts) -> None:
    from datetime import UTC, date, datetime

    from contracts.service.capacity import promote_for_current_years
    from contracts.service.uow import ContractsUnitOfWork

    today = date.today()
    start = date(today.year - 1, 1, 1)
    body = award_body(cap=1, bands=[], start_date=start.isoformat(), end_date=date(today.year, 12, 31).isoformat())
    response = await contracts.client.post("/v1/contracts", json=body, headers=ADMIN)
    contract = response.json()
    last_year = datetime(start.year, 6, 1, tzinfo=UTC)
    first, waiting = (submitted(contract["reference"], submitted_at=last_year) for _ in range(2))
    await publish(contracts, first, waiting)
    await eventually(lambda: _count(contracts, contract, 2))
    runtime = contracts.runtime
    async with ContractsUnitOfWork(runtime.sessions, runtime.outbox, "contracts") as uow:
        assert await promote_for_current_years(uow, today) >= 1
        await uow.commit()
    assert set((await referral_statuses(contracts, contract["id"])).values()) == {"counted"}
    s = await summary(contracts, contract)
    assert (s["contract_year"], s["volume"], s["waitlisted"]) == (2, 1, 0)
    counted = for_contract(await contract_events(contracts, "contract.referral_counted"), contract)
    assert [(c["contract_year"], c["from_waitlist"]) for c in counted] == [(1, False), (2, True)]
