"""Commercial read models, the register (JSON and CSV) and bulk import, on real PostgreSQL."""
from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import timedelta

import pytest
import pytest_asyncio

from tests.contracts.support import THIS_YEAR_START, award_body, publish, referral_statuses, submitted
from tests.harness import auth, eventually, start_platform

pytestmark = [pytest.mark.integration]
ADMIN, COMMERCIAL = auth("admin"), auth("commercial")


@pytest_asyncio.fixture(loop_scope="session")
async def contracts(infra, stack):
    platform = await start_platform(stack, infra=infra, transport="kafka", services=("contracts",))
    service = platform.contracts
    for body in (award_body(reference="R-VCSE-1", cap=10),
                 award_body(reference="R-SME-1", supplier_status="SME", contract_type="ETE", area_kind="region",
                            area_code="K", commissioner_region="K", subs=[uuid.uuid4(), uuid.uuid4()])):
        assert (await service.client.post("/v1/contracts", json=body, headers=ADMIN)).status_code == 201
    return service


async def contract_id(contracts, reference: str) -> str:
    items = (await contracts.client.get("/v1/contracts", params={"limit": 500}, headers=ADMIN)).json()["items"]
    return next(c["id"] for c in items if c["reference"] == reference)


@pytest.mark.asyncio(loop_scope="session")
async def test_summary_forecast_and_at_risk(contracts) -> None:
    cid = await contract_id(contracts, "R-VCSE-1")
    await publish(contracts, *(submitted("R-VCSE-1") for _ in range(6)))
    await eventually(lambda: _counted(contracts, cid, 6))
    # Six referrals in the first ten days of the year: far over a cap of ten by year end.
    day = (THIS_YEAR_START + timedelta(days=9)).isoformat()
    s = (await contracts.client.get(f"/v1/contracts/{cid}/summary", params={"on": day}, headers=COMMERCIAL)).json()
    assert (s["volume"], s["volume_cap"], s["utilisation"], s["band"]) == (6, 10, 0.6, 2)
    assert s["forecast"]["over_cap"] and s["forecast"]["projected_volume"] > 10 and s["risks"] == ["over_cap"]
    assert s["forecast"]["projected_cap_date"] is not None
    assert (s["total_value"], s["fixed_price"], s["forecast"]["projected_payable"]) == (
        "160000.00", "80000.00", "80000.00")  # over the top band's high: its value
    risky = (await contracts.client.get("/v1/commercial/at-risk", params={"on": day}, headers=COMMERCIAL)).json()
    assert "R-VCSE-1" in [c["reference"] for c in risky["items"]]
    overview = (await contracts.client.get("/v1/commercial/contracts", params={"on": day}, headers=COMMERCIAL)).json()
    assert {c["reference"]: c["total_value"] for c in overview["items"]} == {
        "R-VCSE-1": "160000.00", "R-SME-1": "160000.00"}


async def _counted(contracts, cid: str, n: int) -> bool:
    statuses = await referral_statuses(contracts, cid)
    assert list(statuses.values()).count("counted") == n
    return True


@pytest.mark.asyncio(loop_scope="session")
async def test_rollups_by_each_dimension(contracts) -> None:
    for dimension, key in (("region", "K"), ("pcc_area", "durham"), ("contract_type", "ETE"),
                           ("supplier_status", "SME")):
        groups = (await contracts.client.get(f"/v1/commercial/rollups/{dimension}", headers=COMMERCIAL)).json()
        assert key in [g["key"] for g in groups["groups"]], (dimension, groups)
    provider = (await contracts.client.get("/v1/commercial/rollups/provider", headers=COMMERCIAL)).json()
    assert sum(g["contracts"] for g in provider["groups"]) == 2
    assert {g["fixed_price"] for g in provider["groups"]} == {"80000.00"}  # this year's fixed price, per prime
    assert (await contracts.client.get("/v1/commercial/rollups/colour", headers=COMMERCIAL)).status_code == 422


@pytest.mark.asyncio(loop_scope="session")
async def test_register_as_json_and_csv_and_value_share(contracts) -> None:
    items = (await contracts.client.get("/v1/register", headers=COMMERCIAL)).json()["items"]
    sme = next(i for i in items if i["reference"] == "R-SME-1")
    assert (sme["supplier_status"], sme["subcontractors"], sme["area_name"]) == ("SME", 2, "Kent, Surrey and Sussex")
    assert sme["value"] == "160000.00"
    response = await contracts.client.get("/v1/register.csv", headers=COMMERCIAL)
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    row = next(r for r in rows if r["reference"] == "R-VCSE-1")
    assert row["supplier"] == "Northern Homes CIC" and row["value"] == "160000.00"
    assert row["area_name"] == "Durham" and row["subcontractors"] == "0"
    share = (await contracts.client.get("/v1/register/value-by-supplier-status", headers=COMMERCIAL)).json()
    assert {g["supplier_status"]: (g["value"], g["share"]) for g in share["groups"]} == {
        "SME": ("160000.00", 0.5), "VCSE": ("160000.00", 0.5)}


CSV_HEADER = ("reference,title,commissioner_region,contract_type,prime_provider_id,supplier_status,area_kind,"
              "area_code,start_date,end_date,cap_policy,fixed_price,volume_estimate,volume_cap,unit_cost_low,"
              "unit_cost_medium,unit_cost_high,bands,subcontractor_provider_ids\n")


def csv_line(reference: str, *, area: str = "kent", cap: str = "50", bands: str = "0-29:1000;30-60:2000") -> str:
    return (f"{reference},Women's services,K,WOS,{uuid.uuid4()},VCSE,pcc_area,{area},2026-04-01,2028-03-31,hard,"
            f"90000,40,{cap},300,500,800,{bands},{uuid.uuid4()};{uuid.uuid4()}\n")


@pytest.mark.asyncio(loop_scope="session")
async def test_import_is_all_or_nothing_with_row_errors(contracts) -> None:
    bad = CSV_HEADER + csv_line("IMP-1") + csv_line("IMP-2", area="narnia") + csv_line("IMP-3", bands="0-29:1;35-60:2")
    response = await contracts.client.post("/v1/contracts/import", content=bad,
                                           headers={**ADMIN, "content-type": "text/csv"})
    assert response.status_code == 422
    errors = {e["field"]: e["code"] for e in response.json()["errors"]}
    assert errors == {"rows.1.area_code": "unknown_area", "rows.2.years.0.bands.1.low": "bands_gap",
                      "rows.2.years.1.bands.1.low": "bands_gap"}
    register = (await contracts.client.get("/v1/register", headers=COMMERCIAL)).json()["items"]
    assert "IMP-1" not in [i["reference"] for i in register]

    good = CSV_HEADER + csv_line("IMP-1") + csv_line("IMP-2")
    response = await contracts.client.post("/v1/contracts/import", headers=ADMIN,
                                           files={"file": ("contracts.csv", good, "text/csv")})
    assert response.status_code == 201, response.text
    assert response.json()["imported"] == 2
    imported = (await contracts.client.get(f"/v1/contracts/{response.json()['contracts'][0]['id']}",
                                           headers=ADMIN)).json()
    assert len(imported["years"]) == 2 and len(imported["subcontractor_provider_ids"]) == 2

    again = [award_body(reference="IMP-9"), award_body(reference="IMP-1")]
    response = await contracts.client.post("/v1/contracts/import", content=json.dumps(again),
                                           headers={**ADMIN, "content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "rows.1.reference", "code": "duplicate_reference",
                                          "message": "IMP-1 is already awarded or repeated in the file"}]
