"""Rows <-> domain objects for contracts and their terms (JSON columns hold bands and unit costs)."""
from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from contracts.domain.contract import Contract, ContractYear
from contracts.domain.terms import Band, YearTerms


def terms_to_json(terms: YearTerms) -> dict[str, Any]:
    return {
        "bands": [{"low": b.low, "high": b.high, "value": str(b.value)} for b in terms.bands],
        "unit_costs": {k: str(v) for k, v in terms.unit_costs.items()},
    }


def terms_from_row(row: Any) -> YearTerms:
    return YearTerms(
        fixed_price=Decimal(str(row.fixed_price)),
        volume_estimate=row.volume_estimate,
        volume_cap=row.volume_cap,
        unit_costs={k: Decimal(v) for k, v in (row.unit_costs or {}).items()},
        bands=tuple(Band(b["low"], b["high"], Decimal(b["value"])) for b in (row.bands or [])),
    )


def year_values(contract_id: uuid.UUID, year: ContractYear) -> dict[str, Any]:
    """The terms columns of a contract-year row (never its counters)."""
    return {
        "contract_id": str(contract_id),
        "year_number": year.number,
        "start_date": year.start,
        "end_date": year.end,
        "fixed_price": year.terms.fixed_price,
        "volume_estimate": year.terms.volume_estimate,
        "volume_cap": year.terms.volume_cap,
        **terms_to_json(year.terms),
    }


def contract_values(contract: Contract) -> dict[str, Any]:
    return {
        "id": str(contract.id),
        "reference": contract.reference,
        "title": contract.title,
        "commissioner_region": contract.commissioner_region,
        "co_commissioner": contract.co_commissioner,
        "contract_type": contract.contract_type,
        "prime_provider_id": str(contract.prime_provider_id),
        "prime_provider_name": contract.prime_provider_name,
        "supplier_status": contract.supplier_status,
        "area_kind": contract.area_kind,
        "area_code": contract.area_code,
        "region_code": contract.region_code,
        "start_date": contract.start_date,
        "end_date": contract.end_date,
        "cap_policy": contract.cap_policy,
        "thresholds": list(contract.thresholds),
        "total_value": contract.total_value,
        "subcontractor_count": len(contract.subcontractor_provider_ids),
        "version": contract.version,
    }


def contract_from_rows(row: Any, years: list[Any], parties: list[Any]) -> Contract:
    subs = [uuid.UUID(p.provider_id) for p in sorted(parties, key=lambda p: p.position) if p.role == "subcontractor"]
    return Contract(
        id=uuid.UUID(row.id),
        reference=row.reference,
        title=row.title,
        commissioner_region=row.commissioner_region,
        co_commissioner=row.co_commissioner,
        contract_type=row.contract_type,
        prime_provider_id=uuid.UUID(row.prime_provider_id),
        prime_provider_name=row.prime_provider_name,
        supplier_status=row.supplier_status,
        area_kind=row.area_kind,
        area_code=row.area_code,
        region_code=row.region_code,
        start_date=row.start_date,
        end_date=row.end_date,
        cap_policy=row.cap_policy,
        thresholds=tuple(row.thresholds),
        subcontractor_provider_ids=subs,
        version=row.version,
        years=[
            ContractYear(number=y.year_number, start=y.start_date, end=y.end_date, terms=terms_from_row(y))
            for y in sorted(years, key=lambda y: y.year_number)
        ],
    )
