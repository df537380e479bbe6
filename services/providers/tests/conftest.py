"""Fixtures for the providers service's unit tests: pure domain, no database."""
from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from providers.domain.intervention import CategoryOffer, Eligibility, InterventionDefinition
from providers.domain.reference import ReferenceData

DATA = Path(__file__).resolve().parents[1] / "migrations" / "data"


@pytest.fixture(scope="session")
def ref() -> ReferenceData:
    """The reference data exactly as the migration seeds it."""
    areas = json.loads((DATA / "areas.json").read_text())
    services = json.loads((DATA / "services.json").read_text())
    return ReferenceData(
        region_codes=frozenset(r["code"] for r in areas["regions"]),
        pcc_area_regions={a["code"]: a["region_code"] for a in areas["pcc_areas"]},
        contract_type_categories={c["code"]: tuple(c["categories"]) for c in services["contract_types"]},
        category_outcomes={c["code"]: frozenset(code for code, _ in c["outcomes"])
                           for c in services["service_categories"]},
    )


PRIME = uuid.UUID("00000000-0000-0000-0000-00000000000a")
SUB = uuid.UUID("00000000-0000-0000-0000-00000000000b")


def _definition(**changes: object) -> InterventionDefinition:
    base = InterventionDefinition(
        title="Accommodation Support in Kent",
        description="Help to find and keep a home.",
        contract_type="ACC",
        service_categories=(CategoryOffer("accommodation", ("LOW", "MEDIUM"), ("ACC-01",)),),
        area_kind="pcc_area",
        area_code="kent",
        eligibility=Eligibility(18, 65, True, True),
        prime_provider_id=PRIME,
        subcontractor_provider_ids=(SUB,),
        contract_reference="KSS-ACC-0001",
        open_from=date(2026, 1, 1),
        open_to=date(2026, 12, 31),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


@pytest.fixture
def make_definition():
    """A valid definition (a Kent accommodation offer), with any fields replaced."""
    return _definition
