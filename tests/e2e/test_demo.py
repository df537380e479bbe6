"""`make demo` (scripts/demo/) against the four services on the embedded transport.

A small market (20 contracts, volumes scaled down) and 60 referrals, through the public
APIs only: the contracts are in the register, their interventions are searchable, the
referrals are counted and some wait at a full hard-capped contract; a second run adds
nothing.
"""
from __future__ import annotations

from datetime import date

import httpx
import pytest

from scripts.demo.client import Clients, Tokens
from scripts.demo.market import hot_contracts, market
from scripts.demo.run import run_demo
from tests.harness import TEST_SECRET, auth, eventually, start_platform

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]
COMMERCIAL = auth("commercial")


async def some_started(contracts: httpx.AsyncClient) -> bool:
    overview = (await contracts.get("/v1/commercial/contracts", headers=COMMERCIAL)).json()["items"]
    return any(c["started"] > 0 for c in overview)


async def test_demo_loads_a_market_and_moves_referrals(stack) -> None:
    platform = await start_platform(stack, infra=None, transport="embedded",
                                    services=("referrals", "providers", "contracts"))
    clients = Clients(platform.referrals.client, platform.providers.client, platform.contracts.client)
    tokens = Tokens(TEST_SECRET)
    options = dict(contracts=20, referrals=60, seed=7, volume_scale=0.08, timeout=60)

    summary = await run_demo(clients, tokens, **options)

    counts = summary.counts
    assert counts["contracts awarded"] == 20 and counts["interventions published"] == 20
    assert counts["referrals submitted"] == 60
    assert counts["decided waitlisted"] > 0 and counts["decided sent"] > 0
    register = (await platform.contracts.client.get("/v1/register", headers=COMMERCIAL)).json()["items"]
    assert len(register) == 20
    chosen = market(20, 7, date.today(), 0.08)
    assert {c["reference"] for c in register} == {c["reference"] for c in chosen}
    found = (await platform.providers.client.get("/v1/interventions", headers=COMMERCIAL,
                                                 params={"limit": 100})).json()["items"]
    assert {i["contract_reference"] for i in found} == {c["reference"] for c in chosen}

    overview = (await platform.contracts.client.get("/v1/commercial/contracts", headers=COMMERCIAL)).json()["items"]
    by_ref = {c["reference"]: c for c in overview}
    assert sum(c["volume"] for c in overview) > 0
    waited_at_cap = []
    for reference in hot_contracts(chosen):
        contract = by_ref[reference]
        weekly = (await platform.contracts.client.get(f"/v1/contracts/{contract['contract_id']}/weekly",
                                                      headers=COMMERCIAL)).json()
        if sum(w["waitlisted"] for w in weekly["weeks"]):
            waited_at_cap.append(weekly["weeks"][-1]["cumulative"] >= weekly["volume_cap"])
    assert waited_at_cap and all(waited_at_cap)  # referrals waited at capped contracts, only once they were full
    # Delivery starts reach the contracts service as events, after the demo's last call returned.
    assert await eventually(lambda: some_started(platform.contracts.client), timeout=30)

    again = await run_demo(clients, tokens, **options)  # re-run: everything found, nothing new
    assert again.counts["contracts existing"] == 20 and again.counts["interventions existing"] == 20
    assert again.counts["referrals already submitted"] == 60 and again.counts["referrals submitted"] == 0
