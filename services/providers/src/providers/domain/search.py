"""The search rules for interventions, and the keyset cursor.

An intervention matches a PCC area if it is scoped to that area or to the area's region;
it matches a person if its eligibility admits their age and sex; it matches a day if its
referral window contains it. Results are sorted by title then id, so pages never overlap.
"""
from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass
from datetime import date

from crs_shared.errors import FieldErrors

from providers.domain.intervention import Intervention
from providers.domain.reference import ReferenceData

SEXES = ("male", "female")
MAX_PAGE = 100


@dataclass(frozen=True)
class Cursor:
    title: str
    id: uuid.UUID

    def encode(self) -> str:
        raw = json.dumps([self.title, str(self.id)]).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, value: str) -> Cursor:
        try:
            title, ident = json.loads(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
            return cls(str(title), uuid.UUID(ident))
        except (ValueError, TypeError) as exc:
            raise ValueError("not a cursor from this service") from exc


@dataclass(frozen=True)
class SearchQuery:
    pcc_area: str | None = None
    service_category: str | None = None
    age: int | None = None
    sex: str | None = None
    open_on: date | None = None
    provider_id: uuid.UUID | None = None
    include_closed: bool = False
    after: Cursor | None = None
    limit: int = 25

    def check(self, ref: ReferenceData) -> None:
        errors = FieldErrors()
        if self.pcc_area is not None and self.pcc_area not in ref.pcc_area_regions:
            errors.add("pcc_area", "unknown_pcc_area", f"no PCC area {self.pcc_area!r}")
        if self.service_category is not None and self.service_category not in ref.category_outcomes:
            errors.add("service_category", "unknown_service_category", f"no category {self.service_category!r}")
        if self.sex is not None and self.sex not in SEXES:
            errors.add("sex", "unknown_code", "male or female")
        if self.age is not None and not 0 <= self.age <= 130:
            errors.add("age", "out_of_range", "between 0 and 130")
        if not 1 <= self.limit <= MAX_PAGE:
            errors.add("limit", "out_of_range", f"between 1 and {MAX_PAGE}")
        errors.raise_if_any()


def matches(intervention: Intervention, query: SearchQuery, ref: ReferenceData) -> bool:
    """The rule the database query implements; the unit tests pin it down here."""
    d = intervention.definition
    if intervention.status == "closed" and not query.include_closed:
        return False
    if query.pcc_area is not None and query.pcc_area not in ref.covered_pcc_areas(d.area_kind, d.area_code):
        return False
    if query.service_category is not None and query.service_category not in {c.code for c in d.service_categories}:
        return False
    if not d.eligibility.admits(query.age, query.sex):
        return False
    if query.open_on is not None and not d.is_open_on(query.open_on):
        return False
    if query.provider_id is not None and query.provider_id not in (d.prime_provider_id, *d.subcontractor_provider_ids):
        return False
    return query.after is None or (d.title, str(intervention.id)) > (query.after.title, str(query.after.id))


def sort_key(intervention: Intervention) -> tuple[str, str]:
    return intervention.definition.title, str(intervention.id)
