"""Award and vary contracts through the admin API on real PostgreSQL; events through the outbox."""
from __future__ import annotations

import uuid

import pytest
import pytest_asyncio

from tests.contracts.support import award_body, contract_events
from tests.harness import auth, start_platform

pytestmark = [pytest.mark.integration]
ADMIN = auth("admin", subject="admin-1")


@pytest_asyncio.fixture(loop_scope="session")
async def contracts(infra, stack):
    platform = await start_platform(stack, infra=infra, transport="kafka", services=("contracts",))
    return platform.contracts


@pytest.mark.asyncio(loop_scope="session")
async def test_award_then_read_and_list(contracts) -> None:
    response = await contracts.client.post("/v1/contracts", json=award_body(cap=12), headers=ADMIN)
    assert response.status_code == 201, response.text
    contract = response.json()
    assert contract["region_code"] == "A" and len(contract["years"]) == 2
    year = contract["years"][0]
    assert (contract["total_value"], year["fixed_price"], year["guaranteed_minimum"]) == (
        "160000.00", "80000.00", "50000.00")  # money: exact decimal strings, to the penny
    assert year["unit_costs"] == {"LOW": "400.00", "MEDIUM": "700.00", "HIGH": "1100.00"}
    assert year["bands"][0] == {"low": 0, "high": 4, "value": "50000.00"}
    got = await contracts.client.get(f"/v1/contracts/{contract['id']}", headers=auth("commercial"))
    assert got.status_code == 200 and got.json()["reference"] == contract["reference"]
    listed = await contracts.client.get("/v1/contracts?region=A&contract_type=ACC", headers=auth("commercial"))
    item = next(c for c in listed.json()["items"] if c["reference"] == contract["reference"])
    assert item["total_value"] == "160000.00"
    awarded = await contract_events(contracts, "contract.awarded")
    assert awarded[-1]["data"]["contract_reference"] == contract["reference"]


@pytest.mark.asyncio(loop_scope="session")
async def test_bad_terms_are_422_field_by_field_and_nothing_is_written(contracts) -> None:
    body = award_body(area_code="atlantis")
    body["years"] = [
        {"fixed_price": "-1", "volume_estimate": 8, "volume_cap": 10, "bands": [
            {"low": 0, "high": 5, "value": "1"}, {"low": 5, "high": 9, "value": "2"}]},
        {"fixed_price": "1", "volume_estimate": 8, "volume_cap": 1, "bands": [
            {"low": 2, "high": 5, "value": "1"}, {"low": 7, "high": 9, "value": "2"}]},
    ]
    response = await contracts.client.post("/v1/contracts", json=body, headers=ADMIN)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    errors = {e["field"]: e["code"] for e in response.json()["errors"]}
    assert errors == {"area_code": "unknown_area", "years.0.fixed_price": "negative",
                      "years.0.bands.1.low": "bands_overlap", "years.1.bands.1.low": "bands_gap",
                      "years.1.volume_cap": "cap_below_lowest_band"}
    listed = await contracts.client.get("/v1/contracts", params={"limit": 500}, headers=auth("admin"))
    assert body["reference"] not in [c["reference"] for c in listed.json()["items"]]


@pytest.mark.asyncio(loop_scope="session")
async def test_money_below_a_penny_is_refused_rather_than_rounded(contracts) -> None:
    body = award_body()
    body["years"] = [{**body["years"][0], "fixed_price": "80000.005", "unit_costs": {"LOW": 400.125}}]
    response = await contracts.client.post("/v1/contracts", json=body, headers=ADMIN)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"years.0.fixed_price", "years.0.unit_costs.LOW"} <= fields


@pytest.mark.asyncio(loop_scope="session")
async def test_duplicate_reference_is_409(contracts) -> None:
    body = award_body()
    assert (await contracts.client.post("/v1/contracts", json=body, headers=ADMIN)).status_code == 201
    assert (await contracts.client.post("/v1/contracts", json=body, headers=ADMIN)).status_code == 409


@pytest.mark.asyncio(loop_scope="session")
async def test_variation_keeps_history_and_emits_contract_varied(contracts) -> None:
    contract = (await contracts.client.post("/v1/contracts", json=award_body(cap=10), headers=ADMIN)).json()
    years = [dict(award_body()["years"][0], volume_cap=12), award_body()["years"][1]]
    response = await contracts.client.post(f"/v1/contracts/{contract['id']}/variations", headers=ADMIN,
                                           json={"reason": "demand above estimate", "years": years})
    assert response.status_code == 201, response.text
    assert response.json()["kinds"] == ["cap_raised"] and response.json()["varied_by"] == "admin-1"
    sub = str(uuid.uuid4())
    extended = await contracts.client.post(
        f"/v1/contracts/{contract['id']}/variations", headers=ADMIN,
        json={"reason": "extension and new partner", "end_date": f"{int(contract['end_date'][:4]) + 1}-03-31",
              "subcontractor_provider_ids": [sub]})
    assert set(extended.json()["kinds"]) == {"term_extended", "supply_chain_changed"}
    history = (await contracts.client.get(f"/v1/contracts/{contract['id']}/variations", headers=ADMIN)).json()
    assert [h["reason"] for h in history] == ["demand above estimate", "extension and new partner"]
    assert history[0]["terms_before"]["years"][0]["volume_cap"] == 10
    now = (await contracts.client.get(f"/v1/contracts/{contract['id']}", headers=ADMIN)).json()
    assert now["years"][0]["volume_cap"] == 12 and len(now["years"]) == 3 and now["version"] == 3
    assert now["subcontractor_provider_ids"] == [sub]
    varied = [e for e in await contract_events(contracts, "contract.varied")
              if e["data"]["contract_id"] == contract["id"]]
    assert len(varied) == 2


@pytest.mark.asyncio(loop_scope="session")
async def test_roles_and_strangers(contracts) -> None:
    prime = uuid.uuid4()
    contract = (await contracts.client.post("/v1/contracts", json=award_body(prime=prime), headers=ADMIN)).json()
    assert (await contracts.client.post("/v1/contracts", json=award_body(), headers=auth("commercial"))).status_code == 403
    assert (await contracts.client.post("/v1/contracts", json=award_body())).status_code == 401
    assert (await contracts.client.get(f"/v1/contracts/{contract['id']}",
                                       headers=auth("practitioner"))).status_code == 403
    assert (await contracts.client.get(f"/v1/contracts/{uuid.uuid4()}", headers=ADMIN)).status_code == 404
    mine = auth("provider", organisation_id=str(prime))
    stranger = auth("provider", organisation_id=str(uuid.uuid4()))
    own = await contracts.client.get(f"/v1/contracts/{contract['id']}/summary", headers=mine)
    assert own.status_code == 200 and own.json()["volume"] == 0
    assert not {"fixed_price", "forecast", "bands", "supplier_status"} & set(own.json())  # volume only
    assert (await contracts.client.get(f"/v1/contracts/{contract['id']}", headers=mine)).status_code == 403
    assert (await contracts.client.get(f"/v1/contracts/{contract['id']}/summary",
                                       headers=stranger)).status_code == 404
    listed = (await contracts.client.get("/v1/contracts", headers=stranger)).json()
    assert listed["total"] == 0
    assert (await contracts.client.get("/v1/register", headers=mine)).status_code == 403
