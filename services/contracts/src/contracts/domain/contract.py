"""The contract aggregate: parties, area, term split into contract years, and variations."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from crs_shared.errors import FieldErrors

from contracts.domain.terms import YearTerms

CONTRACT_TYPES = ("ACC", "ETE", "PWB", "WOS", "DNR", "FBD")
SUPPLIER_STATUSES = ("VCSE", "SME", "LARGE_PRIVATE", "PUBLIC_BODY")
CAP_POLICIES = ("hard", "soft")
AREA_KINDS = ("region", "pcc_area")
DEFAULT_THRESHOLDS = (75, 90, 100)
MAX_SUBCONTRACTORS = 9


@dataclass(frozen=True)
class Areas:
    """The known probation regions and PCC areas (code -> region code)."""

    regions: frozenset[str]
    pcc_areas: dict[str, str]

    def region_of(self, kind: str, code: str) -> str | None:
        if kind == "region":
            return code if code in self.regions else None
        return self.pcc_areas.get(code)


@dataclass(frozen=True)
class ContractYear:
    number: int
    start: date
    end: date
    terms: YearTerms

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass
class Contract:
    id: uuid.UUID
    reference: str
    title: str
    commissioner_region: str
    contract_type: str
    prime_provider_id: uuid.UUID
    supplier_status: str
    area_kind: str
    area_code: str
    region_code: str
    start_date: date
    end_date: date
    years: list[ContractYear]
    cap_policy: str = "hard"
    thresholds: tuple[int, ...] = DEFAULT_THRESHOLDS
    co_commissioner: str | None = None
    prime_provider_name: str | None = None
    subcontractor_provider_ids: list[uuid.UUID] = field(default_factory=list)
    version: int = 1

    def year_on(self, day: date) -> ContractYear | None:
        return next((y for y in self.years if y.covers(day)), None)

    def year(self, number: int) -> ContractYear:
        return self.years[number - 1]

    @property
    def total_value(self) -> Decimal:
        return sum((y.terms.fixed_price for y in self.years), Decimal(0))

    def provider_ids(self) -> set[uuid.UUID]:
        return {self.prime_provider_id, *self.subcontractor_provider_ids}

    def validate(self, areas: Areas) -> None:
        """Raise ValidationFailed with every field error at once."""
        errors = FieldErrors()
        if not self.reference.strip():
            errors.add("reference", "required", "a contract reference is required")
        if self.contract_type not in CONTRACT_TYPES:
            errors.add("contract_type", "unknown_contract_type", f"one of {', '.join(CONTRACT_TYPES)}")
        if self.supplier_status not in SUPPLIER_STATUSES:
            errors.add("supplier_status", "unknown_supplier_status", f"one of {', '.join(SUPPLIER_STATUSES)}")
        if self.cap_policy not in CAP_POLICIES:
            errors.add("cap_policy", "unknown_cap_policy", "hard or soft")
        if self.commissioner_region not in areas.regions:
            errors.add("commissioner_region", "unknown_region", "not a probation region code")
        self._validate_area(errors, areas)
        self._validate_parties(errors)
        self._validate_thresholds(errors)
        self._validate_years(errors)
        errors.raise_if_any()

    def _validate_area(self, errors: FieldErrors, areas: Areas) -> None:
        if self.area_kind not in AREA_KINDS:
            errors.add("area_kind", "unknown_area_kind", "region or pcc_area")
            return
        region = areas.region_of(self.area_kind, self.area_code)
        if region is None:
            errors.add("area_code", "unknown_area", f"not a known {self.area_kind.replace('_', ' ')} code")
        elif self.region_code and self.region_code != region:
            errors.add("region_code", "area_not_in_region", f"{self.area_code} is in region {region}")

    def _validate_parties(self, errors: FieldErrors) -> None:
        subs = self.subcontractor_provider_ids
        if len(subs) > MAX_SUBCONTRACTORS:
            errors.add("subcontractor_provider_ids", "too_many", f"at most {MAX_SUBCONTRACTORS} subcontractors")
        if len(set(subs)) != len(subs) or self.prime_provider_id in subs:
            errors.add("subcontractor_provider_ids", "duplicate_provider", "each provider appears once")

    def _validate_thresholds(self, errors: FieldErrors) -> None:
        t = list(self.thresholds)
        if not t or any(x < 1 or x > 200 for x in t) or sorted(set(t)) != t:
            errors.add("thresholds", "invalid_thresholds", "ascending distinct percentages between 1 and 200")

    def _validate_years(self, errors: FieldErrors) -> None:
        if self.end_date < self.start_date:
            errors.add("end_date", "before_start", "the term ends before it starts")
            return
        if not self.years:
            errors.add("years", "required", "at least one contract year")
            return
        previous: ContractYear | None = None
        for index, year in enumerate(self.years):
            where = f"years.{index}"
            if year.end < year.start:
                errors.add(f"{where}.end_date", "before_start", "the year ends before it starts")
            if previous is not None:
                if year.start <= previous.end:
                    errors.add(f"{where}.start_date", "overlapping_years", f"overlaps year {previous.number}")
                elif year.start != previous.end + timedelta(days=1):
                    errors.add(f"{where}.start_date", "gap_between_years", f"leaves a gap after year {previous.number}")
            year.terms.validate(errors, where)
            previous = year
        if self.years[0].start != self.start_date:
            errors.add("years.0.start_date", "outside_term", "the first year must start with the term")
        if self.years[-1].end != self.end_date:
            errors.add(f"years.{len(self.years) - 1}.end_date", "outside_term", "the last year must end with the term")


def split_term(start: date, end: date) -> list[tuple[date, date]]:
    """Contract years on the anniversaries of the start date; the last one may be short."""
    spans: list[tuple[date, date]] = []
    cursor = start
    while cursor <= end:
        try:
            anniversary = cursor.replace(year=cursor.year + 1)
        except ValueError:  # 29 February
            anniversary = cursor.replace(year=cursor.year + 1, day=28)
        spans.append((cursor, min(anniversary - timedelta(days=1), end)))
        cursor = anniversary
    return spans


@dataclass(frozen=True)
class Variation:
    id: uuid.UUID
    contract_id: uuid.UUID
    kinds: tuple[str, ...]
    reason: str
    varied_by: str
    varied_at: datetime
    changes: dict[str, object]


def describe_variation(before: Contract, after: Contract) -> tuple[tuple[str, ...], dict[str, object]]:
    """What kind of variation turned `before` into `after`, and a before/after record of it."""
    kinds: list[str] = []
    changes: dict[str, object] = {}
    if after.end_date != before.end_date:
        kinds.append("term_extended" if after.end_date > before.end_date else "term_shortened")
        changes["end_date"] = {"before": before.end_date.isoformat(), "after": after.end_date.isoformat()}
    caps_before = {y.number: y.terms.volume_cap for y in before.years}
    caps_after = {y.number: y.terms.volume_cap for y in after.years}
    raised = [n for n, cap in caps_after.items() if n in caps_before and cap > caps_before[n]]
    lowered = [n for n, cap in caps_after.items() if n in caps_before and cap < caps_before[n]]
    if raised:
        kinds.append("cap_raised")
    if lowered:
        kinds.append("cap_lowered")
    if raised or lowered:
        changes["volume_cap"] = {"before": caps_before, "after": caps_after}
    if [y.terms.bands for y in before.years] != [y.terms.bands for y in after.years[: len(before.years)]]:
        kinds.append("bands_changed")
    other_before = [replace(y.terms, volume_cap=0, bands=()) for y in before.years]
    other_after = [replace(y.terms, volume_cap=0, bands=()) for y in after.years[: len(before.years)]]
    if other_before != other_after:
        kinds.append("terms_changed")
    if (before.subcontractor_provider_ids != after.subcontractor_provider_ids
            or before.prime_provider_id != after.prime_provider_id):
        kinds.append("supply_chain_changed")
        changes["subcontractor_provider_ids"] = {
            "before": [str(p) for p in before.subcontractor_provider_ids],
            "after": [str(p) for p in after.subcontractor_provider_ids],
        }
    if before.cap_policy != after.cap_policy or before.thresholds != after.thresholds:
        kinds.append("alerts_changed")
        changes["cap_policy"] = {"before": before.cap_policy, "after": after.cap_policy}
        changes["thresholds"] = {"before": list(before.thresholds), "after": list(after.thresholds)}
    return tuple(kinds), changes
