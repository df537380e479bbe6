"""Request and response bodies of the intervention endpoints."""
from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from providers.domain.intervention import (
    CategoryOffer, Eligibility, Intervention, InterventionDefinition, InterventionVersion,
)
from providers.domain.reference import ReferenceData


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class CategoryOfferBody(_In):
    code: str = Field(description="a service category code, e.g. accommodation")
    complexity_levels: list[str] = Field(min_length=1, description="LOW, MEDIUM and/or HIGH")
    desired_outcome_codes: list[str] = []

    def domain(self) -> CategoryOffer:
        return CategoryOffer(self.code, tuple(self.complexity_levels), tuple(self.desired_outcome_codes))


class EligibilityBody(_In):
    minimum_age: int = 18
    maximum_age: int | None = None
    allows_male: bool = True
    allows_female: bool = True

    def domain(self) -> Eligibility:
        return Eligibility(self.minimum_age, self.maximum_age, self.allows_male, self.allows_female)


class InterventionIn(_In):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=10_000)
    contract_type: str
    service_categories: list[CategoryOfferBody] = Field(min_length=1)
    area_kind: str = Field(description="region or pcc_area")
    area_code: str = Field(description="a region code (e.g. J) or a PCC area code (e.g. kent)")
    eligibility: EligibilityBody
    prime_provider_id: uuid.UUID
    subcontractor_provider_ids: list[uuid.UUID] = []
    contract_reference: str
    open_from: date
    open_to: date | None = None

    def domain(self) -> InterventionDefinition:
        return InterventionDefinition(
            title=self.title, description=self.description, contract_type=self.contract_type,
            service_categories=tuple(c.domain() for c in self.service_categories), area_kind=self.area_kind,
            area_code=self.area_code, eligibility=self.eligibility.domain(), prime_provider_id=self.prime_provider_id,
            subcontractor_provider_ids=tuple(self.subcontractor_provider_ids),
            contract_reference=self.contract_reference, open_from=self.open_from, open_to=self.open_to,
        )


class InterventionPatch(_In):
    """Only the fields given change; the result is a new version."""

    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=10_000)
    contract_type: str | None = None
    service_categories: list[CategoryOfferBody] | None = Field(None, min_length=1)
    area_kind: str | None = None
    area_code: str | None = None
    eligibility: EligibilityBody | None = None
    prime_provider_id: uuid.UUID | None = None
    subcontractor_provider_ids: list[uuid.UUID] | None = None
    contract_reference: str | None = None
    open_from: date | None = None
    open_to: date | None = None

    def changes(self) -> dict[str, Any]:
        given = {k: getattr(self, k) for k in self.model_fields_set}
        nullable = {"open_to"}
        out: dict[str, Any] = {}
        for key, value in given.items():
            if value is None and key not in nullable:
                continue
            if key == "service_categories":
                value = tuple(c.domain() for c in value)
            elif key == "eligibility":
                value = value.domain()
            elif key == "subcontractor_provider_ids":
                value = tuple(value)
            out[key] = value
        return out


class CategoryOfferOut(BaseModel):
    code: str
    complexity_levels: list[str]
    desired_outcome_codes: list[str]


class EligibilityOut(BaseModel):
    minimum_age: int
    maximum_age: int | None
    allows_male: bool
    allows_female: bool


class VersionOut(BaseModel):
    intervention_id: uuid.UUID
    version: int
    published_at: datetime
    title: str
    description: str
    contract_type: str
    service_categories: list[CategoryOfferOut]
    area_kind: str
    area_code: str
    eligibility: EligibilityOut
    prime_provider_id: uuid.UUID
    subcontractor_provider_ids: list[uuid.UUID]
    contract_reference: str
    open_from: date
    open_to: date | None

    @staticmethod
    def fields(intervention_id: uuid.UUID, v: InterventionVersion) -> dict[str, Any]:
        d, e = v.definition, v.definition.eligibility
        return dict(
            intervention_id=intervention_id, version=v.number, published_at=v.published_at, title=d.title,
            description=d.description, contract_type=d.contract_type,
            service_categories=[CategoryOfferOut(code=c.code, complexity_levels=list(c.complexity_levels),
                                                 desired_outcome_codes=list(c.desired_outcome_codes))
                                for c in d.service_categories],
            area_kind=d.area_kind, area_code=d.area_code,
            eligibility=EligibilityOut(minimum_age=e.minimum_age, maximum_age=e.maximum_age,
                                       allows_male=e.allows_male, allows_female=e.allows_female),
            prime_provider_id=d.prime_provider_id, subcontractor_provider_ids=list(d.subcontractor_provider_ids),
            contract_reference=d.contract_reference, open_from=d.open_from, open_to=d.open_to,
        )

    @classmethod
    def of(cls, intervention_id: uuid.UUID, v: InterventionVersion) -> VersionOut:
        return cls(**cls.fields(intervention_id, v))


class InterventionOut(VersionOut):
    id: uuid.UUID
    status: str = Field(description="open or closed")
    closed_at: datetime | None
    region_code: str
    covered_pcc_areas: list[str]

    @classmethod
    def of_intervention(cls, i: Intervention, ref: ReferenceData) -> InterventionOut:
        d = i.definition
        return cls(
            id=i.id, status=i.status, closed_at=i.closed_at, region_code=ref.region_of(d.area_kind, d.area_code),
            covered_pcc_areas=ref.covered_pcc_areas(d.area_kind, d.area_code), **cls.fields(i.id, i.current),
        )


class InterventionPage(BaseModel):
    items: list[InterventionOut]
    next_cursor: str | None = Field(description="pass back as cursor for the next page; null on the last page")
