"""The local copy of an intervention version, as learnt from catalogue events."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class CategoryOffer:
    code: str
    complexity_levels: tuple[str, ...]
    desired_outcome_codes: tuple[str, ...]


@dataclass(frozen=True)
class InterventionVersion:
    intervention_id: uuid.UUID
    version: int
    contract_type: str
    contract_reference: str
    region_code: str
    area_kind: str
    area_code: str
    covered_pcc_areas: tuple[str, ...]
    minimum_age: int
    maximum_age: int | None
    allows_male: bool
    allows_female: bool
    prime_provider_id: uuid.UUID
    subcontractor_provider_ids: tuple[uuid.UUID, ...]
    categories: tuple[CategoryOffer, ...]
    open_from: date
    open_to: date | None = None
    closed: bool = False
    title: str = ""
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def provider_ids(self) -> tuple[uuid.UUID, ...]:
        return (self.prime_provider_id, *self.subcontractor_provider_ids)

    def is_open_on(self, day: date) -> bool:
        if self.closed or day < self.open_from:
            return False
        return self.open_to is None or day <= self.open_to

    def category(self, code: str) -> CategoryOffer | None:
        return next((c for c in self.categories if c.code == code), None)
