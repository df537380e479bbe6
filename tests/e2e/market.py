"""A small market set up through the public APIs, for end-to-end tests."""
from __future__ import annotations

import uuid
from datetime import date, timedelta

from tests.harness import auth

ADMIN = auth("admin")
COMMERCIAL = auth("commercial")


async def setup_market(platform) -> dict:
    """Through the public APIs: a provider, its contract, its intervention."""
    providers, contracts = platform.providers.client, platform.contracts.client
    r = await providers.post("/v1/providers", headers=ADMIN, json={
        "name": f"Kent Homes CIC {uuid.uuid4().hex[:4]}", "organisation_type": "VCSE",
        "charity_number": f"{uuid.uuid4().int % 10**8:08d}",  # one provider per charity number
        "referral_mailbox": "referrals@kent-homes.example.org",
        "caseworkers": [{"name": "Sam Caseworker", "email": "sam@kent-homes.example.org"}]})
    assert r.status_code == 201, r.text
    provider_id = r.json()["id"]
    reference = f"E2E{uuid.uuid4().hex[:6].upper()}ACC"
    year_start = date(date.today().year - (1 if date.today().month < 4 else 0), 4, 1)
    r = await contracts.post("/v1/contracts", headers=ADMIN, json={
        "reference": reference, "title": "Accommodation, Kent", "commissioner_region": "K",
        "contract_type": "ACC", "prime_provider_id": provider_id, "prime_provider_name": "Kent Homes CIC",
        "subcontractor_provider_ids": [], "supplier_status": "VCSE", "area_kind": "pcc_area", "area_code": "kent",
        "start_date": year_start.isoformat(), "end_date": date(year_start.year + 2, 3, 31).isoformat(),
        "cap_policy": "hard",
        "years": [{"fixed_price": "450000", "volume_estimate": 600, "volume_cap": 1000,
                   "unit_costs": {"LOW": "400", "MEDIUM": "700", "HIGH": "1100"}, "bands": []}] * 2})
    assert r.status_code == 201, r.text
    contract_id = r.json()["id"]
    r = await providers.post("/v1/interventions", headers=ADMIN, json={
        "title": "Accommodation support in Kent", "description": "Finding and keeping a home.",
        "contract_type": "ACC",
        "service_categories": [{"code": "accommodation", "complexity_levels": ["LOW", "MEDIUM", "HIGH"],
                                "desired_outcome_codes": ["ACC-01", "ACC-02"]}],
        "area_kind": "pcc_area", "area_code": "kent",
        "eligibility": {"minimum_age": 18, "maximum_age": None, "allows_male": True, "allows_female": True},
        "prime_provider_id": provider_id, "subcontractor_provider_ids": [], "contract_reference": reference,
        "open_from": (date.today() - timedelta(days=10)).isoformat(), "open_to": None})
    assert r.status_code == 201, r.text
    return {"provider_id": provider_id, "contract_id": contract_id, "intervention_id": r.json()["id"]}


def referral_body(intervention_id: str, n: int) -> dict:
    return {
        "intervention_id": intervention_id,
        "person": {"crn": f"X{n:06d}", "first_name": "Alex", "last_name": f"Person{n}",
                   "date_of_birth": "1988-02-03", "sex": "male", "preferred_language": "English",
                   "needs_interpreter": False},
        "pcc_area_code": "kent",
        "categories": [{"code": "accommodation", "complexity": ["LOW", "MEDIUM", "HIGH"][n % 3]}],
        "desired_outcomes": ["ACC-01"],
        "reason_for_referral": "Needs stable accommodation",
        "risk_information": "None known",
        "completion_deadline": (date.today() + timedelta(days=90)).isoformat(),
        "location": {"kind": "community"},
        "practitioner_contact": {"name": "Pat Practitioner", "email": "pat@probation.example", "phone": "0100"},
    }


