"""Bulk import through the API and the command: all or nothing, with a row-by-row report."""
from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.harness import ROOT, Platform, auth
from tests.providers.factory import ADMIN, charity_number, company_number

pytestmark = [pytest.mark.integration]
SAMPLE = ROOT / "services/providers/sample/catalogue.json"


async def counts(platform: Platform) -> tuple[int, int, int]:
    from providers.adapters.tables import interventions, outbox_messages, providers

    async with platform.providers.runtime.sessions() as session:
        return tuple([(await session.execute(select(func.count()).select_from(t))).scalar_one()  # type: ignore[return-value]
                      for t in (providers, interventions, outbox_messages)])


def good_file(tag: str) -> dict:
    return {
        "providers": [
            {"ref": "p1", "name": f"Importer {tag}", "organisation_type": "VCSE", "charity_number": charity_number(),
             "referral_mailbox": "in@p1.example.org", "caseworkers": [{"name": "Jo", "email": "jo@p1.example.org"}]},
            {"ref": "p2", "name": f"Second {tag}", "organisation_type": "SME", "company_number": company_number(),
             "referral_mailbox": "in@p2.example.org"},
        ],
        "interventions": [
            {"title": f"Imported {tag}", "contract_type": "FBD", "area_kind": "pcc_area", "area_code": "cleveland",
             "service_categories": [{"code": "finance-benefit-and-debt", "complexity_levels": ["LOW", "HIGH"],
                                     "desired_outcome_codes": ["FBD-01"]}],
             "prime_provider": "p1", "subcontractors": ["p2"], "contract_reference": f"IMP-{tag}",
             "open_from": "2026-01-01"},
        ],
    }


@pytest.mark.asyncio(loop_scope="session")
async def test_a_json_import_creates_providers_and_publishes_interventions(platform: Platform) -> None:
    client = platform.providers.client
    tag = uuid.uuid4().hex[:8].upper()
    assert (await client.post("/v1/catalogue/imports", json=good_file(tag),
                              headers=auth("commercial"))).status_code == 403
    r = await client.post("/v1/catalogue/imports", json=good_file(tag), headers=ADMIN)
    assert r.status_code == 201, r.text
    report = r.json()
    p1 = report["providers"]["p1"]
    found = (await client.get("/v1/interventions", params={"pcc_area": "cleveland", "provider_id": p1},
                              headers=ADMIN)).json()["items"]
    assert [i["contract_reference"] for i in found] == [f"IMP-{tag}"]
    assert found[0]["subcontractor_provider_ids"] == [report["providers"]["p2"]]


@pytest.mark.asyncio(loop_scope="session")
async def test_a_bad_file_is_rejected_whole_with_every_problem_by_row(platform: Platform, new_provider) -> None:
    client = platform.providers.client
    tag = uuid.uuid4().hex[:8].upper()
    doc = good_file(tag)
    doc["providers"][1]["charity_number"] = "12AB"
    doc["interventions"] += [
        {**doc["interventions"][0], "title": "Second", "area_code": "atlantis"},  # also a duplicate reference
        {**doc["interventions"][0], "title": "Third", "contract_reference": f"IMP2-{tag}", "minimum_age": 40,
         "maximum_age": 30, "prime_provider": "nobody"},
    ]
    before = await counts(platform)
    r = await client.post("/v1/catalogue/imports", json=doc, headers=ADMIN)
    assert r.status_code == 422
    problems = {(e["record"], e["row"], e["field"], e["code"]) for e in r.json()["errors"]}
    assert problems == {
        ("provider", 2, "charity_number", "invalid_format"),
        ("intervention", 2, "area_code", "unknown_pcc_area"),
        ("intervention", 2, "contract_reference", "duplicate_contract_reference"),
        ("intervention", 3, "maximum_age", "range_reversed"),
        ("intervention", 3, "prime_provider", "unknown_provider"),
    }
    assert await counts(platform) == before  # nothing written, not even the good rows or their events


@pytest.mark.asyncio(loop_scope="session")
async def test_a_csv_upload_is_imported_and_its_errors_name_the_line(platform: Platform) -> None:
    client = platform.providers.client
    tag = uuid.uuid4().hex[:8].upper()
    header = ("record,ref,name,organisation_type,charity_number,company_number,referral_mailbox,caseworkers,"
              "title,contract_type,service_categories,area_kind,area_code,minimum_age,maximum_age,"
              "allows_male,allows_female,prime_provider,subcontractors,contract_reference,open_from,open_to\n")
    number = charity_number()
    provider = f"provider,csv1,CSV Provider {tag},VCSE,{number},,in@csv.example.org,Sam|sam@csv.example.org"
    provider += ",,,,,,,,,,,,,,\n"
    intervention = ("intervention,,,,,,,,CSV wellbeing,PWB,emotional-wellbeing:LOW|MEDIUM:EWB-01;"
                    f"social-inclusion:HIGH,region,A,18,,false,true,csv1,,CSV-{tag},2026-01-01,2027-01-01\n")
    files = {"file": ("catalogue.csv", (header + provider + intervention).encode(), "text/csv")}
    r = await client.post("/v1/catalogue/imports", files=files, headers=ADMIN)
    assert r.status_code == 201, r.text
    assert r.json()["interventions"][0]["row"] == 3

    other = provider.replace(f"CSV Provider {tag}", f"CSV Other {tag}").replace(number, charity_number())
    bad = header + other + intervention.replace(
        "2026-01-01,2027-01-01", "2026-01-01,2025-01-01").replace(f"CSV-{tag}", f"CSV2-{tag}")
    r = await client.post("/v1/catalogue/imports", content=bad.encode(),
                          headers={**ADMIN, "Content-Type": "text/csv"})
    assert r.status_code == 422
    assert [(e["row"], e["field"], e["code"]) for e in r.json()["errors"]] == [(3, "open_to", "window_reversed")]


@pytest.mark.asyncio(loop_scope="session")
async def test_the_import_command_loads_the_sample_catalogue(platform: Platform) -> None:
    env = {**os.environ, "PROVIDERS_DATABASE_URL": platform.providers.settings.database_url}
    result = await asyncio.to_thread(
        subprocess.run, [sys.executable, "-m", "providers", "import", str(SAMPLE)],
        env=env, capture_output=True, text=True, timeout=120, cwd=Path(ROOT),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["imported"] is True
    items = (await platform.providers.client.get(
        "/v1/interventions", params={"pcc_area": "south-wales", "sex": "female"}, headers=ADMIN)).json()["items"]
    assert {"WAL-PWB-0001", "WAL-WOS-0001"} <= {i["contract_reference"] for i in items}

    again = await asyncio.to_thread(
        subprocess.run, [sys.executable, "-m", "providers", "import", str(SAMPLE)],
        env=env, capture_output=True, text=True, timeout=120, cwd=Path(ROOT),
    )
    assert again.returncode == 1
    codes = {e["code"] for e in json.loads(again.stdout)["errors"]}
    assert codes == {"duplicate_contract_reference", "already_registered"}  # same references, same providers
