"""Interventions: what is offered, by whom, where and for whom, as immutable versions.

Publishing creates version 1; every change creates the next version (published versions
never change, so a referral keeps the version it was made against); closing stops referrals.
"""
from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from crs_shared.errors import Conflict, FieldErrors

from providers.domain.reference import AREA_KINDS, COMPLEXITY_LEVELS, ReferenceData

MINIMUM_AGE = 18  # probation supervises adults
MAXIMUM_AGE = 120
MAX_SUBCONTRACTORS = 9
CONTRACT_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_.-]{1,39}$")


@dataclass(frozen=True)
class CategoryOffer:
    code: str
    complexity_levels: tuple[str, ...]
    desired_outcome_codes: tuple[str, ...]


@dataclass(frozen=True)
class Eligibility:
    minimum_age: int
    maximum_age: int | None
    allows_male: bool
    allows_female: bool

    def admits(self, age: int | None = None, sex: str | None = None) -> bool:
        if age is not None and (age < self.minimum_age or (self.maximum_age is not None and age > self.maximum_age)):
            return False
        if sex == "male" and not self.allows_male:
            return False
        return not (sex == "female" and not self.allows_female)


@dataclass(frozen=True)
class InterventionDefinition:
    """Everything one version says; frozen because published versions are immutable."""

    title: str
    description: str
    contract_type: str
    service_categories: tuple[CategoryOffer, ...]
    area_kind: str
    area_code: str
    eligibility: Eligibility
    prime_provider_id: uuid.UUID
    subcontractor_provider_ids: tuple[uuid.UUID, ...]
    contract_reference: str
    open_from: date
    open_to: date | None = None

    def is_open_on(self, day: date) -> bool:
        return self.open_from <= day and (self.open_to is None or day <= self.open_to)


def check_definition(
    d: InterventionDefinition,
    ref: ReferenceData,
    provider_status: Mapping[uuid.UUID, str],
    errors: FieldErrors,
    prefix: str = "",
) -> None:
    """Add every rule the definition breaks to `errors` (field names relative to `prefix`)."""
    if not d.title.strip():
        errors.add(prefix + "title", "required", "an intervention needs a title")
    if not CONTRACT_REFERENCE.match(d.contract_reference):
        errors.add(prefix + "contract_reference", "invalid_format", "2 to 40 letters, digits, / _ . -")
    _check_categories(d, ref, errors, prefix)
    if d.area_kind not in AREA_KINDS:
        errors.add(prefix + "area_kind", "unknown_code", "region or pcc_area")
    elif not ref.knows_area(d.area_kind, d.area_code):
        errors.add(prefix + "area_code", f"unknown_{d.area_kind}", f"no {d.area_kind} {d.area_code!r}")
    _check_eligibility(d.eligibility, errors, prefix + "eligibility.")
    if d.open_to is not None and d.open_to < d.open_from:
        errors.add(prefix + "open_to", "window_reversed", "the window must not end before it starts")
    _check_supply_chain(d, provider_status, errors, prefix)


def _check_categories(d: InterventionDefinition, ref: ReferenceData, errors: FieldErrors, prefix: str) -> None:
    allowed = ref.contract_type_categories.get(d.contract_type)
    if allowed is None:
        errors.add(prefix + "contract_type", "unknown_contract_type", f"no contract type {d.contract_type!r}")
    if not d.service_categories:
        errors.add(prefix + "service_categories", "required", "at least one service category")
    seen: set[str] = set()
    for i, offer in enumerate(d.service_categories):
        at = f"{prefix}service_categories.{i}."
        if offer.code in seen:
            errors.add(at + "code", "duplicate", "a category is listed twice")
        seen.add(offer.code)
        if offer.code not in ref.category_outcomes:
            errors.add(at + "code", "unknown_service_category", f"no service category {offer.code!r}")
            continue
        if allowed is not None and offer.code not in allowed:
            errors.add(at + "code", "category_not_in_contract_type", f"{offer.code} is not part of {d.contract_type}")
        if not offer.complexity_levels:
            errors.add(at + "complexity_levels", "required", "at least one complexity level")
        for level in offer.complexity_levels:
            if level not in COMPLEXITY_LEVELS:
                errors.add(at + "complexity_levels", "unknown_complexity_level", f"{level!r} is not LOW/MEDIUM/HIGH")
        for outcome in offer.desired_outcome_codes:
            if outcome not in ref.category_outcomes[offer.code]:
                errors.add(at + "desired_outcome_codes", "unknown_desired_outcome", f"{outcome!r} is not an outcome of {offer.code}")


def _check_eligibility(e: Eligibility, errors: FieldErrors, prefix: str) -> None:
    if not MINIMUM_AGE <= e.minimum_age <= MAXIMUM_AGE:
        errors.add(prefix + "minimum_age", "out_of_range", f"between {MINIMUM_AGE} and {MAXIMUM_AGE}")
    if e.maximum_age is not None and e.maximum_age < e.minimum_age:
        errors.add(prefix + "maximum_age", "range_reversed", "the maximum age is below the minimum age")
    if not (e.allows_male or e.allows_female):
        errors.add(prefix + "allows_female", "nobody_eligible", "allow men, women or both")


def _check_supply_chain(
    d: InterventionDefinition, provider_status: Mapping[uuid.UUID, str], errors: FieldErrors, prefix: str
) -> None:
    def check(field_name: str, provider_id: uuid.UUID) -> None:
        status = provider_status.get(provider_id)
        if status is None:
            errors.add(field_name, "unknown_provider", f"no provider {provider_id}")
        elif status != "active":
            errors.add(field_name, "provider_not_active", f"provider is {status}")

    check(prefix + "prime_provider_id", d.prime_provider_id)
    subs = d.subcontractor_provider_ids
    if len(subs) > MAX_SUBCONTRACTORS:
        errors.add(prefix + "subcontractor_provider_ids", "too_many", f"at most {MAX_SUBCONTRACTORS} subcontractors")
    if len(set(subs)) != len(subs) or d.prime_provider_id in subs:
        errors.add(prefix + "subcontractor_provider_ids", "duplicate", "a provider appears twice in the supply chain")
    for i, sub in enumerate(subs):
        check(f"{prefix}subcontractor_provider_ids.{i}", sub)


@dataclass(frozen=True)
class InterventionVersion:
    number: int
    definition: InterventionDefinition
    published_at: datetime


@dataclass
class Intervention:
    id: uuid.UUID
    current: InterventionVersion
    status: str = "open"
    closed_at: datetime | None = None
    events: list[str] = field(default_factory=list)

    @property
    def version(self) -> int:
        return self.current.number

    @property
    def definition(self) -> InterventionDefinition:
        return self.current.definition

    @classmethod
    def publish(cls, definition: InterventionDefinition, now: datetime, intervention_id: uuid.UUID | None = None
                ) -> Intervention:
        intervention = cls(id=intervention_id or uuid.uuid4(), current=InterventionVersion(1, definition, now))
        intervention.events.append("intervention.published")
        return intervention

    def revise(self, changes: dict[str, Any], now: datetime) -> InterventionDefinition | None:
        """The next version's definition, or None if `changes` change nothing."""
        if self.status == "closed":
            raise Conflict("a closed intervention cannot change")
        definition = replace(self.definition, **changes)
        return None if definition == self.definition else definition

    def adopt(self, definition: InterventionDefinition, now: datetime) -> None:
        """Make a checked definition the new current version."""
        self.current = InterventionVersion(self.version + 1, definition, now)
        self.events.append("intervention.updated")

    def close(self, now: datetime) -> None:
        if self.status == "closed":
            raise Conflict("the intervention is already closed")
        self.status, self.closed_at = "closed", now
        self.events.append("intervention.closed")
