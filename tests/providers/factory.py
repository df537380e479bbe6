"""Request bodies for the providers service's integration tests (random names and references)."""
from __future__ import annotations

import uuid
from typing import Any

from tests.harness import auth

ADMIN = auth("admin")


def charity_number() -> str:
    """A random, well-formed charity number (each may belong to one provider only)."""
    return f"{uuid.uuid4().int % 10**8:08d}"


def company_number() -> str:
    return f"SC{uuid.uuid4().int % 10**6:06d}"


def provider_body(**changes: Any) -> dict[str, Any]:
    body = {
        "name": f"Provider {uuid.uuid4().hex[:6]}",
        "organisation_type": "VCSE",
        "charity_number": charity_number(),
        "referral_mailbox": "referrals@provider.example.org",
        "caseworkers": [{"name": "Priya Shah", "email": f"priya.{uuid.uuid4().hex[:6]}@provider.example.org"}],
    }
    body.update(changes)
    return body


def intervention_body(prime_id: str, **changes: Any) -> dict[str, Any]:
    body = {
        "title": f"Accommodation {uuid.uuid4().hex[:6]}",
        "description": "Help to find and keep a home.",
        "contract_type": "ACC",
        "service_categories": [{"code": "accommodation", "complexity_levels": ["LOW", "MEDIUM", "HIGH"],
                                "desired_outcome_codes": ["ACC-01", "ACC-02"]}],
        "area_kind": "pcc_area",
        "area_code": "kent",
        "eligibility": {"minimum_age": 18, "maximum_age": None, "allows_male": True, "allows_female": True},
        "prime_provider_id": prime_id,
        "subcontractor_provider_ids": [],
        "contract_reference": f"REF-{uuid.uuid4().hex[:10].upper()}",
        "open_from": "2026-01-01",
        "open_to": None,
    }
    body.update(changes)
    return body
