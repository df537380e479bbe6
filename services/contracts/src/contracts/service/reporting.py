"""Commercial read models: summaries with forecasts, weekly series, roll-ups, the register.

Everything is read from the contract rows and their pre-aggregated counters, never by
scanning referrals, so the cost does not grow with referral volume.
"""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from crs_shared.auth import Principal
from crs_shared.errors import NotFound

from contracts.adapters.capacity_repository import week_of
from contracts.adapters.mapping import terms_from_row
from contracts.domain.forecast import forecast
from contracts.service.uow import ContractsUnitOfWork


def sees_money(principal: Principal) -> bool:
    return principal.role in ("commercial", "admin")


def _utilisation(volume: int, cap: int) -> float:
    return round(volume / cap, 4) if cap else 0.0


def volume_view(row: Any) -> dict[str, Any]:
    """What a provider may see of a contract: its volume, never money."""
    return {
        "contract_id": row.id, "reference": row.reference, "title": row.title,
        "contract_type": row.contract_type, "region_code": row.region_code, "area_code": row.area_code,
        "contract_year": row.year_number,
        "year_start": row.year_start, "year_end": row.year_end,
        "volume": row.volume or 0, "volume_cap": row.volume_cap, "volume_estimate": row.volume_estimate,
        "utilisation": _utilisation(row.volume or 0, row.volume_cap or 0),
        "waitlisted": row.waitlisted or 0, "started": row.started or 0, "completed": row.completed or 0,
        "withdrawn": row.withdrawn or 0,
    }


def commercial_view(row: Any, today: date) -> dict[str, Any]:
    """Volume, money, band and forecast of a contract's current year."""
    view = volume_view(row)
    view.update(supplier_status=row.supplier_status, prime_provider_id=row.prime_provider_id,
                prime_provider_name=row.prime_provider_name, cap_policy=row.cap_policy,
                total_value=row.total_value)
    if row.year_number is None:
        view.update(band=None, forecast=None, at_risk=False, risks=[])
        return view
    terms = terms_from_row(row)
    f = forecast(terms, row.year_start, row.year_end, today, row.volume)
    notional = {"LOW": row.value_low, "MEDIUM": row.value_medium, "HIGH": row.value_high}
    view.update(
        fixed_price=terms.fixed_price, band=row.band,
        band_value=terms.bands[row.band - 1].value if row.band else None,
        guaranteed_minimum=terms.guaranteed_minimum,
        bands=[{"band": n, "low": b.low, "high": b.high, "value": b.value} for n, b in enumerate(terms.bands, 1)],
        overrun=row.overrun,
        notional_value={**notional, "total": sum((Decimal(str(v)) for v in notional.values()), Decimal(0))},
        forecast={"projected_volume": f.projected_volume, "projected_band": f.projected_band,
                  "projected_payable": f.projected_payable, "projected_cap_date": f.projected_cap_date,
                  "over_cap": f.over_cap, "below_guaranteed_minimum": f.below_guaranteed_minimum},
        at_risk=f.at_risk, risks=f.risks,
    )
    return view


async def _visible_row(uow: ContractsUnitOfWork, principal: Principal, contract_id: str, today: date) -> Any:
    if principal.role == "provider" and not await uow.contracts.is_party(contract_id, principal.organisation_id or ""):
        raise NotFound("no such contract")
    rows = await uow.reporting.current(today, contract_ids=[contract_id])
    if not rows:
        raise NotFound("no such contract")
    return rows[0]


async def contract_summary(uow: ContractsUnitOfWork, principal: Principal, contract_id: str, today: date) -> dict:
    """Current-year volume against cap (and, for commercial users, money, band and forecast)."""
    async with uow:
        row = await _visible_row(uow, principal, contract_id, today)
        return commercial_view(row, today) if sees_money(principal) else volume_view(row)


async def weekly_series(uow: ContractsUnitOfWork, principal: Principal, contract_id: str, today: date,
                        year_number: int | None = None) -> dict:
    """Weekly counts over a contract year, with the cumulative volume, from the weekly counters."""
    async with uow:
        row = await _visible_row(uow, principal, contract_id, today)
        years = await uow.reporting.years(contract_id)
        number = year_number or row.year_number or (years[0].year_number if years else None)
        year = next((y for y in years if y.year_number == number), None)
        if year is None:
            raise NotFound("no such contract year")
        counters = {w.week_start: w for w in await uow.reporting.weekly(contract_id, number)}
    weeks, cumulative = [], 0
    week, last = week_of(year.start_date), week_of(min(max(today, year.start_date), year.end_date))
    while week <= last:
        w = counters.get(week)
        counted = w.counted if w else 0
        cumulative += counted
        weeks.append({"week_start": week, "counted": counted, "cumulative": cumulative,
                      **{k: getattr(w, k) if w else 0 for k in ("waitlisted", "started", "completed", "withdrawn")}})
        week += timedelta(days=7)
    terms = terms_from_row(year)
    limits = {"volume_cap": terms.volume_cap, "volume_estimate": terms.volume_estimate,
              "bands": [{"band": n, "low": b.low, "high": b.high} for n, b in enumerate(terms.bands, 1)]}
    return {"contract_id": contract_id, "contract_year": number, "year_start": year.start_date,
            "year_end": year.end_date, "weeks": weeks, **(limits if sees_money(principal) else
                                                          {"volume_cap": terms.volume_cap})}


async def contracts_overview(uow: ContractsUnitOfWork, today: date, **filters: str | None) -> list[dict]:
    async with uow:
        rows = await uow.reporting.current(today, **filters)
    return [commercial_view(r, today) for r in rows]


async def at_risk(uow: ContractsUnitOfWork, today: date) -> list[dict]:
    """Contracts whose forecast is over the cap or under the guaranteed minimum."""
    return [v for v in await contracts_overview(uow, today) if v["at_risk"]]


async def rollup(uow: ContractsUnitOfWork, dimension: str, today: date) -> list[dict]:
    async with uow:
        rows = await uow.reporting.rollup(dimension, today)
    return [{"key": r.key, "contracts": r.contracts, "fixed_price": r.fixed_price,
             "volume_estimate": r.volume_estimate, "volume_cap": r.volume_cap, "volume": r.volume,
             "utilisation": _utilisation(r.volume, r.volume_cap), "waitlisted": r.waitlisted,
             "started": r.started, "completed": r.completed, "withdrawn": r.withdrawn} for r in rows]


async def register(uow: ContractsUnitOfWork) -> list[dict]:
    """The register of awarded contracts (published data: no personal data in it)."""
    async with uow:
        rows = await uow.reporting.register()
        regions = await uow.reporting.region_names()
        pccs = await uow.reporting.pcc_area_names()
    return [{
        "reference": r.reference, "title": r.title, "contract_type": r.contract_type,
        "supplier": r.prime_provider_name or r.prime_provider_id, "supplier_id": r.prime_provider_id,
        "supplier_status": r.supplier_status, "area_kind": r.area_kind, "area_code": r.area_code,
        "area_name": (regions if r.area_kind == "region" else pccs).get(r.area_code, r.area_code),
        "region_code": r.region_code, "value": r.total_value, "start_date": r.start_date, "end_date": r.end_date,
        "subcontractors": r.subcontractor_count,
    } for r in rows]


async def value_share(uow: ContractsUnitOfWork) -> list[dict]:
    """Share of awarded contract value by the prime's supplier status."""
    async with uow:
        rows = await uow.reporting.value_by_supplier_status()
    total = sum((Decimal(str(r.value or 0)) for r in rows), Decimal(0))
    return [{"supplier_status": r.supplier_status, "contracts": r.contracts, "value": r.value,
             "share": round(float(Decimal(str(r.value or 0)) / total), 4) if total else 0.0} for r in rows]
