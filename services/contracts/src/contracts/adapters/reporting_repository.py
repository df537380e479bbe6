"""Read models for commercial teams, all from contracts and pre-aggregated counters."""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.adapters import tables as t

C = t.contracts
Y = t.contract_years
W = t.weekly_counters

ROLLUP_COLUMNS = {
    "region": C.c.region_code,
    "pcc_area": C.c.area_code,
    "contract_type": C.c.contract_type,
    "provider": C.c.prime_provider_id,
    "supplier_status": C.c.supplier_status,
}


def _current_year(today: date) -> Any:
    return and_(Y.c.contract_id == C.c.id, Y.c.start_date <= today, Y.c.end_date >= today)


class ReportingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def current(self, today: date, *, contract_ids: list[str] | None = None, region: str | None = None,
                      contract_type: str | None = None, supplier_status: str | None = None) -> list[Any]:
        """Each contract with the counters of the year covering `today` (null columns when out of term)."""
        query = select(C, Y.c.year_number, Y.c.start_date.label("year_start"), Y.c.end_date.label("year_end"),
                       Y.c.fixed_price, Y.c.volume_estimate, Y.c.volume_cap, Y.c.bands, Y.c.unit_costs,
                       Y.c.volume, Y.c.waitlisted, Y.c.started, Y.c.completed, Y.c.withdrawn, Y.c.overrun,
                       Y.c.value_low, Y.c.value_medium, Y.c.value_high, Y.c.band,
                       ).select_from(C.outerjoin(Y, _current_year(today)))
        if contract_ids is not None:
            query = query.where(C.c.id.in_(contract_ids))
        if region:
            query = query.where(C.c.region_code == region)
        if contract_type:
            query = query.where(C.c.contract_type == contract_type)
        if supplier_status:
            query = query.where(C.c.supplier_status == supplier_status)
        return list((await self.session.execute(query.order_by(C.c.reference))).all())

    async def years(self, contract_id: str) -> list[Any]:
        return list((await self.session.execute(
            select(Y).where(Y.c.contract_id == contract_id).order_by(Y.c.year_number))).all())

    async def weekly(self, contract_id: str, year_number: int) -> list[Any]:
        return list((await self.session.execute(
            select(W).where(W.c.contract_id == contract_id, W.c.year_number == year_number)
            .order_by(W.c.week_start))).all())

    async def rollup(self, dimension: str, today: date) -> list[Any]:
        key = ROLLUP_COLUMNS[dimension]
        query = (
            select(key.label("key"), func.count(C.c.id).label("contracts"),
                   func.coalesce(func.sum(Y.c.fixed_price), 0).label("fixed_price"),
                   func.coalesce(func.sum(Y.c.volume_estimate), 0).label("volume_estimate"),
                   func.coalesce(func.sum(Y.c.volume_cap), 0).label("volume_cap"),
                   func.coalesce(func.sum(Y.c.volume), 0).label("volume"),
                   func.coalesce(func.sum(Y.c.waitlisted), 0).label("waitlisted"),
                   func.coalesce(func.sum(Y.c.started), 0).label("started"),
                   func.coalesce(func.sum(Y.c.completed), 0).label("completed"),
                   func.coalesce(func.sum(Y.c.withdrawn), 0).label("withdrawn"))
            .select_from(C.outerjoin(Y, _current_year(today)))
            .group_by(key).order_by(key)
        )
        return list((await self.session.execute(query)).all())

    async def register(self) -> list[Any]:
        return list((await self.session.execute(select(C).order_by(C.c.reference))).all())

    async def value_by_supplier_status(self) -> list[Any]:
        return list((await self.session.execute(
            select(C.c.supplier_status, func.count(C.c.id).label("contracts"),
                   func.sum(C.c.total_value).label("value"))
            .group_by(C.c.supplier_status).order_by(C.c.supplier_status))).all())

    async def region_names(self) -> dict[str, str]:
        return {r.code: r.name for r in (await self.session.execute(select(t.regions))).all()}

    async def pcc_area_names(self) -> dict[str, str]:
        return {r.code: r.name for r in (await self.session.execute(select(t.pcc_areas))).all()}
