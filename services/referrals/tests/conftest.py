"""Builders for the pure domain tests."""
from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest

from referrals.domain.calendar import WorkingCalendar
from referrals.domain.catalogue import CategoryOffer, InterventionVersion
from referrals.domain.referral import Practitioner, Referral

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # a Monday
TODAY = NOW.date()
PRIME = uuid.uuid4()
SUB = uuid.uuid4()


def intervention(**overrides: object) -> InterventionVersion:
    values: dict = dict(
        intervention_id=uuid.uuid4(), version=1, contract_type="ACC", contract_reference="CR-1", region_code="A",
        area_kind="region", area_code="A", covered_pcc_areas=("avon-and-somerset", "wiltshire"),
        minimum_age=18, maximum_age=65, allows_male=True, allows_female=True, prime_provider_id=PRIME,
        subcontractor_provider_ids=(SUB,),
        categories=(CategoryOffer("ACC", ("LOW", "MEDIUM"), ("ACC-1", "ACC-2")),),
        open_from=date(2026, 1, 1), open_to=date(2027, 1, 1),
    )
    values.update(overrides)
    return InterventionVersion(**values)


def content(iv: InterventionVersion, **overrides: object) -> dict:
    doc = {
        "intervention_id": str(iv.intervention_id),
        "person": {"crn": "X123456", "first_name": "Alex", "last_name": "Smith", "date_of_birth": "1990-05-01",
                   "sex": "male"},
        "pcc_area_code": "wiltshire",
        "categories": [{"code": "ACC", "complexity": "LOW"}],
        "desired_outcomes": ["ACC-1"],
        "reason_for_referral": "needs housing",
        "completion_deadline": "2026-09-01",
        "location": {"kind": "community"},
    }
    doc.update(overrides)
    return doc


@pytest.fixture
def calendar() -> WorkingCalendar:
    return WorkingCalendar()


@pytest.fixture
def submitted() -> Callable[..., Referral]:
    def build(**overrides: object) -> Referral:
        iv = intervention()
        referral = Referral.draft(content(iv, **overrides), Practitioner("pp-1", "pp@probation.example", "T1", "A"),
                                  NOW)
        referral.submit(iv, NOW, TODAY)
        referral.reference = "AB2345ACC"
        return referral

    return build
