"""A charity number or a company number belongs to one provider only: API, bulk import and a race."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from tests.harness import Platform
from tests.providers.factory import ADMIN, charity_number, company_number, provider_body
from tests.providers.test_import import counts, good_file

pytestmark = [pytest.mark.integration]


async def holders(platform: Platform, column: str, number: str) -> int:
    from providers.adapters.tables import providers

    async with platform.providers.runtime.sessions() as session:
        return (await session.execute(
            select(func.count()).select_from(providers).where(providers.c[column] == number))).scalar_one()


def errors(response) -> set[tuple[str, str]]:
    return {(e["field"], e["code"]) for e in response.json()["errors"]}


@pytest.mark.asyncio(loop_scope="session")
async def test_a_second_provider_with_a_registered_number_is_refused(platform: Platform, new_provider) -> None:
    client = platform.providers.client
    first = await new_provider(charity_number=charity_number(), company_number=company_number().lower())
    for field in ("charity_number", "company_number"):
        body = provider_body(**{"charity_number": charity_number(), field: first[field]})
        r = await client.post("/v1/providers", json=body, headers=ADMIN)
        assert r.status_code == 422, r.text
        assert errors(r) == {(field, "already_registered")}
        assert await holders(platform, field, first[field]) == 1
    # "sc123456" is the same company number as "SC123456"
    r = await client.post("/v1/providers", json=provider_body(company_number=first["company_number"].lower()),
                          headers=ADMIN)
    assert errors(r) == {("company_number", "already_registered")}


@pytest.mark.asyncio(loop_scope="session")
async def test_a_provider_cannot_take_another_providers_number_but_keeps_its_own(platform, new_provider) -> None:
    client = platform.providers.client
    first, second = await new_provider(company_number=company_number()), await new_provider()
    r = await client.patch(f"/v1/providers/{second['id']}", json={"charity_number": first["charity_number"]},
                           headers=ADMIN)
    assert r.status_code == 422 and errors(r) == {("charity_number", "already_registered")}
    r = await client.patch(f"/v1/providers/{second['id']}", json={"company_number": first["company_number"]},
                           headers=ADMIN)
    assert r.status_code == 422 and errors(r) == {("company_number", "already_registered")}
    got = (await client.get(f"/v1/providers/{second['id']}", headers=ADMIN)).json()
    assert (got["charity_number"], got["company_number"]) == (second["charity_number"], None)
    r = await client.patch(f"/v1/providers/{first['id']}", json={"charity_number": first["charity_number"],
                                                                  "name": "Renamed " + first["name"]}, headers=ADMIN)
    assert r.status_code == 200, r.text


@pytest.mark.asyncio(loop_scope="session")
async def test_importing_the_same_providers_twice_is_refused_row_by_row(platform: Platform) -> None:
    client = platform.providers.client
    doc = good_file(uuid.uuid4().hex[:8].upper())
    assert (await client.post("/v1/catalogue/imports", json=doc, headers=ADMIN)).status_code == 201
    doc["interventions"][0]["contract_reference"] += "-AGAIN"  # only the providers repeat
    before = await counts(platform)
    r = await client.post("/v1/catalogue/imports", json=doc, headers=ADMIN)
    assert r.status_code == 422
    assert {(e["record"], e["row"], e["field"], e["code"]) for e in r.json()["errors"]} == {
        ("provider", 1, "charity_number", "already_registered"),
        ("provider", 2, "company_number", "already_registered")}
    assert await counts(platform) == before


@pytest.mark.asyncio(loop_scope="session")
async def test_one_file_cannot_give_a_number_to_two_providers(platform: Platform) -> None:
    doc = good_file(uuid.uuid4().hex[:8].upper())
    doc["providers"][1]["charity_number"] = doc["providers"][0]["charity_number"]
    before = await counts(platform)
    r = await platform.providers.client.post("/v1/catalogue/imports", json=doc, headers=ADMIN)
    assert r.status_code == 422
    assert {(e["record"], e["row"], e["field"], e["code"]) for e in r.json()["errors"]} == {
        ("provider", 2, "charity_number", "already_registered")}
    assert await counts(platform) == before


@pytest.mark.asyncio(loop_scope="session")
async def test_a_racing_registration_is_stopped_by_the_unique_index(platform, new_provider, monkeypatch) -> None:
    from providers.adapters.provider_repository import ProviderRepository

    first = await new_provider()

    async def sees_nothing(self, field_name, numbers):  # the other transaction had not committed yet
        return {}

    monkeypatch.setattr(ProviderRepository, "number_holders", sees_nothing)
    r = await platform.providers.client.post(
        "/v1/providers", json=provider_body(charity_number=first["charity_number"]), headers=ADMIN)
    assert r.status_code == 422, r.text
    assert errors(r) == {("charity_number", "already_registered")}
    assert await holders(platform, "charity_number", first["charity_number"]) == 1
    doc = good_file(uuid.uuid4().hex[:8].upper())
    doc["providers"][1]["company_number"] = None
    doc["providers"][1]["charity_number"] = first["charity_number"]
    r = await platform.providers.client.post("/v1/catalogue/imports", json=doc, headers=ADMIN)
    assert r.status_code == 422
    assert [(e["field"], e["code"]) for e in r.json()["errors"]] == [("charity_number", "already_registered")]
