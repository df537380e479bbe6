"""Interventions on real PostgreSQL: validation, versioning, closing and the search rules."""
from __future__ import annotations

import uuid

import pytest

from tests.harness import Platform, auth
from tests.providers.factory import ADMIN, intervention_body

pytestmark = [pytest.mark.integration]
PP = auth("practitioner", region_code="K", team_code="T1")


@pytest.mark.asyncio(loop_scope="session")
async def test_only_admins_publish_and_bad_input_is_reported_field_by_field(platform: Platform, new_provider) -> None:
    client = platform.providers.client
    prime = (await new_provider())["id"]
    assert (await client.post("/v1/interventions", json=intervention_body(prime), headers=PP)).status_code == 403
    assert (await client.post("/v1/interventions", json=intervention_body(prime))).status_code == 401
    bad = intervention_body(
        prime, contract_type="ZZZ", area_code="atlantis", open_from="2026-06-01", open_to="2026-05-01",
        eligibility={"minimum_age": 30, "maximum_age": 25, "allows_male": True, "allows_female": True},
        subcontractor_provider_ids=[str(uuid.uuid4())],
    )
    r = await client.post("/v1/interventions", json=bad, headers=ADMIN)
    assert r.status_code == 422
    assert {(e["field"], e["code"]) for e in r.json()["errors"]} >= {
        ("contract_type", "unknown_contract_type"), ("area_code", "unknown_pcc_area"),
        ("open_to", "window_reversed"), ("eligibility.maximum_age", "range_reversed"),
        ("subcontractor_provider_ids.0", "unknown_provider")}
    found = (await client.get("/v1/interventions", params={"provider_id": prime}, headers=PP)).json()
    assert found["items"] == []  # nothing half-written


@pytest.mark.asyncio(loop_scope="session")
async def test_a_live_contract_reference_is_used_once(platform: Platform, new_provider, new_intervention) -> None:
    client = platform.providers.client
    prime = (await new_provider())["id"]
    first = await new_intervention(prime)
    r = await client.post("/v1/interventions", headers=ADMIN,
                          json=intervention_body(prime, contract_reference=first["contract_reference"]))
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "contract_reference", "code": "duplicate_contract_reference",
                                   "message": "a live intervention is already delivered under this contract reference"}]
    await client.post(f"/v1/interventions/{first['id']}/close", headers=ADMIN)
    r = await client.post("/v1/interventions", headers=ADMIN,
                          json=intervention_body(prime, contract_reference=first["contract_reference"]))
    assert r.status_code == 201  # a closed intervention frees its reference


@pytest.mark.asyncio(loop_scope="session")
async def test_changes_create_immutable_versions_and_closing_is_final(
    platform: Platform, new_provider, new_intervention,
) -> None:
    client = platform.providers.client
    prime, sub = (await new_provider())["id"], (await new_provider())["id"]
    published = await new_intervention(prime, title="Housing Kent")
    iid = published["id"]
    assert published["version"] == 1 and published["covered_pcc_areas"] == ["kent"]

    r = await client.patch(f"/v1/interventions/{iid}", headers=ADMIN, json={
        "title": "Housing Kent and Medway", "area_kind": "region", "area_code": "K",
        "subcontractor_provider_ids": [sub]})
    assert r.status_code == 200
    v2 = r.json()
    assert v2["version"] == 2 and v2["region_code"] == "K"
    assert v2["covered_pcc_areas"] == ["kent", "surrey", "sussex"]
    assert v2["contract_reference"] == published["contract_reference"]

    same = await client.patch(f"/v1/interventions/{iid}", headers=ADMIN, json={"title": "Housing Kent and Medway"})
    assert same.json()["version"] == 2  # no change, no new version

    v1 = (await client.get(f"/v1/interventions/{iid}/versions/1", headers=PP)).json()
    assert (v1["title"], v1["area_code"], v1["subcontractor_provider_ids"]) == ("Housing Kent", "kent", [])
    assert (await client.get(f"/v1/interventions/{iid}/versions/3", headers=PP)).status_code == 404

    bad = await client.patch(f"/v1/interventions/{iid}", headers=ADMIN, json={"open_to": "2025-01-01"})
    assert bad.status_code == 422
    assert (await client.get(f"/v1/interventions/{iid}", headers=PP)).json()["version"] == 2

    assert (await client.patch(f"/v1/interventions/{iid}", headers=PP, json={"title": "x"})).status_code == 403
    closed = await client.post(f"/v1/interventions/{iid}/close", headers=ADMIN)
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert (await client.post(f"/v1/interventions/{iid}/close", headers=ADMIN)).status_code == 409
    assert (await client.patch(f"/v1/interventions/{iid}", headers=ADMIN, json={"title": "y"})).status_code == 409
    assert (await client.get(f"/v1/interventions/{uuid.uuid4()}", headers=PP)).status_code == 404


@pytest.mark.asyncio(loop_scope="session")
async def test_search_rules_area_region_fallback_eligibility_window(
    platform: Platform, new_provider, new_intervention,
) -> None:
    client = platform.providers.client
    prime = (await new_provider())["id"]
    everyone = {"minimum_age": 18, "maximum_age": None, "allows_male": True, "allows_female": True}
    made = {
        "kent": await new_intervention(prime, title="A Kent housing"),
        "region": await new_intervention(prime, title="B KSS region", area_kind="region", area_code="K"),
        "surrey": await new_intervention(prime, title="C Surrey housing", area_code="surrey"),
        "women": await new_intervention(prime, title="D Kent women", eligibility={**everyone, "allows_male": False}),
        "young": await new_intervention(prime, title="E Kent young", eligibility={**everyone, "maximum_age": 25}),
        "later": await new_intervention(prime, title="F Kent later", open_from="2030-01-01"),
        "ended": await new_intervention(prime, title="G Kent ended", open_from="2020-01-01", open_to="2020-12-31"),
        "etes": await new_intervention(prime, title="H Kent jobs", contract_type="ETE", service_categories=[
            {"code": "education-training-employment", "complexity_levels": ["LOW"], "desired_outcome_codes": []}]),
    }
    names = {v["id"]: k for k, v in made.items()}

    async def search(**params) -> list[str]:
        r = await client.get("/v1/interventions", params={"provider_id": prime, **params}, headers=PP)
        assert r.status_code == 200, r.text
        return [names[i["id"]] for i in r.json()["items"]]

    assert await search(pcc_area="kent") == ["kent", "region", "women", "young", "later", "ended", "etes"]
    assert await search(pcc_area="sussex") == ["region"]
    assert await search(pcc_area="surrey") == ["region", "surrey"]
    assert await search(pcc_area="kent", sex="male", age=40, open_on="2026-06-01") == ["kent", "region", "etes"]
    assert await search(pcc_area="kent", sex="female", age=22, open_on="2026-06-01") == [
        "kent", "region", "women", "young", "etes"]
    assert await search(pcc_area="kent", open_on="2030-06-01") == ["kent", "region", "women", "young", "later",
                                                                   "etes"]
    assert await search(pcc_area="kent", service_category="education-training-employment") == ["etes"]
    await client.post(f"/v1/interventions/{made['kent']['id']}/close", headers=ADMIN)
    assert "kent" not in await search(pcc_area="kent")
    assert "kent" in await search(pcc_area="kent", include_closed="true")

    r = await client.get("/v1/interventions", params={"pcc_area": "atlantis", "sex": "x"}, headers=PP)
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["errors"]} == {"pcc_area", "sex"}


@pytest.mark.asyncio(loop_scope="session")
async def test_keyset_pages_are_stable_and_complete(platform: Platform, new_provider, new_intervention) -> None:
    client = platform.providers.client
    prime = (await new_provider())["id"]
    ids = {(await new_intervention(prime, title="Same title", area_code="cumbria"))["id"] for _ in range(5)}
    seen: list[str] = []
    cursor = None
    for _ in range(10):
        params = {"pcc_area": "cumbria", "provider_id": prime, "limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/v1/interventions", params=params, headers=PP)).json()
        seen += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == sorted(ids) and len(seen) == 5  # same title: ties broken by id
    r = await client.get("/v1/interventions", params={"cursor": "garbage"}, headers=PP)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "cursor"
