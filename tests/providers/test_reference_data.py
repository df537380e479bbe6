"""Reference data seeded by migration, served read-only to every authenticated caller."""
from __future__ import annotations

import pytest

from tests.harness import Platform, auth

pytestmark = [pytest.mark.integration]
READER = auth("practitioner", region_code="K", team_code="T1", email="pp@probation.example.gov.uk")


@pytest.mark.asyncio(loop_scope="session")
async def test_12_regions_and_42_pcc_areas_each_in_exactly_one_region(platform: Platform) -> None:
    client = platform.providers.client
    regions = (await client.get("/v1/regions", headers=READER)).json()
    areas = (await client.get("/v1/pcc-areas", headers=READER)).json()
    assert len(regions) == 12 and len(areas) == 42
    listed_under_regions = [code for r in regions for code in r["pcc_areas"]]
    assert sorted(listed_under_regions) == sorted(a["code"] for a in areas)  # a partition: no area twice or missing
    by_code = {a["code"]: a for a in areas}
    assert by_code["avon-and-somerset"]["region_code"] == "G"
    assert by_code["metropolitan"]["region_name"] == "London"
    assert {r["name"] for r in regions} >= {"Wales", "Greater Manchester", "Kent, Surrey and Sussex"}
    wales = (await client.get("/v1/pcc-areas", params={"region": "D"}, headers=READER)).json()
    assert [a["code"] for a in wales] == ["dyfed-powys", "gwent", "north-wales", "south-wales"]
    unknown = await client.get("/v1/pcc-areas", params={"region": "Z"}, headers=READER)
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["code"] == "unknown_region"


@pytest.mark.asyncio(loop_scope="session")
async def test_contract_types_categories_complexity_and_outcomes(platform: Platform) -> None:
    client = platform.providers.client
    types = {t["code"]: t for t in (await client.get("/v1/contract-types", headers=READER)).json()}
    assert set(types) == {"ACC", "ETE", "PWB", "WOS", "DNR", "FBD"}
    assert len(types["PWB"]["service_categories"]) == 4 and len(types["WOS"]["service_categories"]) == 8
    categories = (await client.get("/v1/service-categories", headers=READER)).json()
    assert len(categories) == 8
    for category in categories:
        assert [lv["level"] for lv in category["complexity_levels"]] == ["LOW", "MEDIUM", "HIGH"]
        assert all(lv["description"] for lv in category["complexity_levels"])
        assert len(category["desired_outcomes"]) >= 3
    accommodation = next(c for c in categories if c["code"] == "accommodation")
    assert set(accommodation["contract_types"]) == {"ACC", "WOS"}


@pytest.mark.asyncio(loop_scope="session")
async def test_withdrawal_and_decline_reasons(platform: Platform) -> None:
    client = platform.providers.client
    reasons = (await client.get("/v1/withdrawal-reasons", headers=auth("provider", organisation_id="x"))).json()
    assert len(reasons) == 13
    assert {r["group_code"] for r in reasons} == {
        "problem_with_referral", "persons_circumstances", "sentence_change", "early_closure", "other"}
    declines = (await client.get("/v1/decline-reasons", headers=auth("commercial"))).json()
    assert "NOT_ELIGIBLE" in {d["code"] for d in declines}


@pytest.mark.asyncio(loop_scope="session")
async def test_reference_data_needs_a_token(platform: Platform) -> None:
    r = await platform.providers.client.get("/v1/regions")
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")
