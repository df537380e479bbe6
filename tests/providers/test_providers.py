"""Providers and caseworkers: admin-only changes, field-level validation, who sees caseworkers."""
from __future__ import annotations

import uuid

import pytest

from tests.harness import Platform, auth
from tests.providers.factory import ADMIN, provider_body

pytestmark = [pytest.mark.integration]


@pytest.mark.asyncio(loop_scope="session")
async def test_only_admins_register_providers(platform: Platform) -> None:
    client = platform.providers.client
    for role, claims in (("practitioner", {}), ("commercial", {}), ("provider", {"organisation_id": str(uuid.uuid4())})):
        r = await client.post("/v1/providers", json=provider_body(), headers=auth(role, **claims))
        assert r.status_code == 403, role
    assert (await client.post("/v1/providers", json=provider_body())).status_code == 401


@pytest.mark.asyncio(loop_scope="session")
async def test_bad_numbers_are_rejected_field_by_field_and_nothing_is_written(platform: Platform) -> None:
    client = platform.providers.client
    name = f"Bad Numbers {uuid.uuid4().hex[:6]}"
    r = await client.post("/v1/providers", headers=ADMIN, json=provider_body(
        name=name, charity_number="12-34", company_number="ABC12345", organisation_type="CHARITY"))
    assert r.status_code == 422
    assert {(e["field"], e["code"]) for e in r.json()["errors"]} == {
        ("charity_number", "invalid_format"), ("company_number", "invalid_format"),
        ("organisation_type", "unknown_code")}
    listed = (await client.get("/v1/providers", params={"limit": 200}, headers=ADMIN)).json()["items"]
    assert name not in {p["name"] for p in listed}


@pytest.mark.asyncio(loop_scope="session")
async def test_caseworkers_are_seen_by_admins_and_their_own_provider_only(platform: Platform, new_provider) -> None:
    client = platform.providers.client
    provider = await new_provider(company_number="sc123456")
    assert provider["company_number"] == "SC123456"
    pid = provider["id"]
    own = auth("provider", organisation_id=pid)
    other = auth("provider", organisation_id=str(uuid.uuid4()))
    practitioner = auth("practitioner", region_code="K")

    assert len((await client.get(f"/v1/providers/{pid}", headers=own)).json()["caseworkers"]) == 1
    assert len((await client.get(f"/v1/providers/{pid}", headers=ADMIN)).json()["caseworkers"]) == 1
    seen_by_other = (await client.get(f"/v1/providers/{pid}", headers=other)).json()
    assert seen_by_other["name"] == provider["name"] and seen_by_other["caseworkers"] is None
    assert (await client.get(f"/v1/providers/{pid}", headers=practitioner)).json()["caseworkers"] is None

    assert (await client.get(f"/v1/providers/{pid}/caseworkers", headers=own)).status_code == 200
    assert (await client.get(f"/v1/providers/{pid}/caseworkers", headers=other)).status_code == 404
    assert (await client.get(f"/v1/providers/{pid}/caseworkers", headers=practitioner)).status_code == 403
    assert (await client.get(f"/v1/providers/{uuid.uuid4()}", headers=practitioner)).status_code == 404


@pytest.mark.asyncio(loop_scope="session")
async def test_caseworkers_are_added_and_updated_by_admins(platform: Platform, new_provider) -> None:
    client = platform.providers.client
    pid = (await new_provider())["id"]
    body = {"name": "Tom Evans", "email": "tom.evans@provider.example.org"}
    assert (await client.post(f"/v1/providers/{pid}/caseworkers", json=body,
                              headers=auth("provider", organisation_id=pid))).status_code == 403
    r = await client.post(f"/v1/providers/{pid}/caseworkers", json=body, headers=ADMIN)
    assert r.status_code == 201
    again = await client.post(f"/v1/providers/{pid}/caseworkers", json=body, headers=ADMIN)
    assert again.status_code == 422 and again.json()["errors"][0]["code"] == "duplicate"
    cid = r.json()["id"]
    r = await client.patch(f"/v1/providers/{pid}/caseworkers/{cid}", json={"active": False}, headers=ADMIN)
    assert r.status_code == 200 and r.json()["active"] is False
    r = await client.patch(f"/v1/providers/{pid}/caseworkers/{uuid.uuid4()}", json={"active": False}, headers=ADMIN)
    assert r.status_code == 404


@pytest.mark.asyncio(loop_scope="session")
async def test_status_changes_and_offboarding_is_final(platform: Platform, new_provider) -> None:
    client = platform.providers.client
    pid = (await new_provider())["id"]
    r = await client.patch(f"/v1/providers/{pid}", json={"status": "suspended"}, headers=ADMIN)
    assert r.status_code == 200 and r.json()["status"] == "suspended"
    r = await client.patch(f"/v1/providers/{pid}", json={"status": "offboarded"}, headers=ADMIN)
    assert r.json()["status"] == "offboarded"
    r = await client.patch(f"/v1/providers/{pid}", json={"status": "active"}, headers=ADMIN)
    assert r.status_code == 409
    r = await client.patch(f"/v1/providers/{uuid.uuid4()}", json={"status": "active"}, headers=ADMIN)
    assert r.status_code == 404


@pytest.mark.asyncio(loop_scope="session")
async def test_providers_are_listed_a_page_at_a_time_without_overlap(platform: Platform, new_provider) -> None:
    client = platform.providers.client
    for _ in range(3):
        await new_provider()
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/v1/providers", params=params, headers=auth("commercial"))).json()
        seen += [p["id"] for p in page["items"]]
        assert all(p["caseworkers"] is None for p in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) >= 3
