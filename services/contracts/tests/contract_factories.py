"""Builders of valid award commands and terms for unit tests."""
from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from contracts.domain.terms import Band, YearTerms
from contracts.service.commands import AwardContract, YearInput

BANDS = (Band(0, 99, Decimal("80000")), Band(100, 149, Decimal("100000")),
         Band(150, 199, Decimal("120000")), Band(200, 260, Decimal("140000")))
UNIT_COSTS = {"LOW": Decimal("400"), "MEDIUM": Decimal("700"), "HIGH": Decimal("1100")}


def terms(cap: int = 240, bands: tuple[Band, ...] = BANDS, estimate: int = 180) -> YearTerms:
    return YearTerms(Decimal("120000"), estimate, cap, dict(UNIT_COSTS), bands)


def year_input(cap: int = 240, bands: tuple[Band, ...] = BANDS, **dates: date) -> YearInput:
    return YearInput(Decimal("120000"), 180, cap, dict(UNIT_COSTS), bands, **dates)


def award(**overrides: object) -> AwardContract:
    values: dict[str, object] = dict(
        reference=f"ACC-{uuid.uuid4().hex[:6]}", title="Accommodation, North East", commissioner_region="A",
        contract_type="ACC", prime_provider_id=uuid.uuid4(), supplier_status="VCSE", area_kind="region",
        area_code="A", start_date=date(2026, 4, 1), end_date=date(2028, 3, 31),
        years=[year_input(), year_input()],
    )
    values.update(overrides)
    return AwardContract(**values)  # type: ignore[arg-type]
