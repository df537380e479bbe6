"""Commands of the admin API, and how they become domain contracts."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from crs_shared.errors import FieldErrors

from contracts.domain.contract import DEFAULT_THRESHOLDS, Contract, ContractYear, split_term
from contracts.domain.terms import Band, YearTerms


@dataclass(frozen=True)
class YearInput:
    fixed_price: Decimal
    volume_estimate: int
    volume_cap: int
    unit_costs: dict[str, Decimal] = field(default_factory=dict)
    bands: tuple[Band, ...] = ()
    start_date: date | None = None
    end_date: date | None = None

    def terms(self) -> YearTerms:
        return YearTerms(self.fixed_price, self.volume_estimate, self.volume_cap, dict(self.unit_costs), self.bands)


@dataclass(frozen=True)
class AwardContract:
    reference: str
    title: str
    commissioner_region: str
    contract_type: str
    prime_provider_id: uuid.UUID
    supplier_status: str
    area_kind: str
    area_code: str
    start_date: date
    end_date: date
    years: list[YearInput]
    region_code: str | None = None
    co_commissioner: str | None = None
    prime_provider_name: str | None = None
    subcontractor_provider_ids: list[uuid.UUID] = field(default_factory=list)
    cap_policy: str = "hard"
    thresholds: tuple[int, ...] = DEFAULT_THRESHOLDS


@dataclass(frozen=True)
class VaryContract:
    reason: str
    end_date: date | None = None
    years: list[YearInput] | None = None
    subcontractor_provider_ids: list[uuid.UUID] | None = None
    cap_policy: str | None = None
    thresholds: tuple[int, ...] | None = None


def build_years(start: date, end: date, inputs: list[YearInput], errors: FieldErrors) -> list[ContractYear]:
    """Contract years from their inputs: given dates, or the term split on its anniversaries."""
    dated = [y.start_date is not None and y.end_date is not None for y in inputs]
    if inputs and all(dated):
        ordered = sorted(inputs, key=lambda y: y.start_date)  # type: ignore[arg-type, return-value]
        return [ContractYear(n, y.start_date, y.end_date, y.terms())  # type: ignore[arg-type]
                for n, y in enumerate(ordered, start=1)]
    if any(dated):
        errors.add("years", "mixed_year_dates", "give every year its dates, or none")
        return []
    if end < start:
        return []
    spans = split_term(start, end)
    if len(spans) != len(inputs):
        errors.add("years", "year_count_mismatch", f"the term has {len(spans)} contract years; {len(inputs)} given")
        return []
    return [ContractYear(n, s, e, y.terms()) for n, ((s, e), y) in enumerate(zip(spans, inputs), start=1)]


def new_contract(command: AwardContract, region_of_area: str | None) -> Contract:
    """The contract a command describes (validated by the caller); years built from the term."""
    errors = FieldErrors()
    years = build_years(command.start_date, command.end_date, command.years, errors)
    errors.raise_if_any()
    return Contract(
        id=uuid.uuid4(), reference=command.reference.strip(), title=command.title,
        commissioner_region=command.commissioner_region, co_commissioner=command.co_commissioner,
        contract_type=command.contract_type, prime_provider_id=command.prime_provider_id,
        prime_provider_name=command.prime_provider_name, supplier_status=command.supplier_status,
        area_kind=command.area_kind, area_code=command.area_code,
        region_code=command.region_code or region_of_area or "",
        start_date=command.start_date, end_date=command.end_date, years=years, cap_policy=command.cap_policy,
        thresholds=tuple(command.thresholds), subcontractor_provider_ids=list(command.subcontractor_provider_ids),
    )


def varied_contract(contract: Contract, command: VaryContract) -> Contract:
    """The contract as the variation would leave it (validated by the caller)."""
    end = command.end_date or contract.end_date
    errors = FieldErrors()
    if command.years is not None:
        years = build_years(contract.start_date, end, command.years, errors)
    else:
        # Same terms; a longer term repeats the last year's terms in the new years.
        spans = split_term(contract.start_date, end) if end != contract.end_date else [
            (y.start, y.end) for y in contract.years]
        years = [ContractYear(n, s, e, contract.years[min(n, len(contract.years)) - 1].terms)
                 for n, (s, e) in enumerate(spans, start=1)]
    errors.raise_if_any()
    return replace(
        contract, end_date=end, years=years, version=contract.version + 1,
        subcontractor_provider_ids=list(command.subcontractor_provider_ids
                                        if command.subcontractor_provider_ids is not None
                                        else contract.subcontractor_provider_ids),
        cap_policy=command.cap_policy or contract.cap_policy,
        thresholds=tuple(command.thresholds) if command.thresholds is not None else contract.thresholds,
    )
