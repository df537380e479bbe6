"""`contract.at_risk`: raised once per contract year and risk kind when the forecast first shows it.

Checked when a decision changes a year's volume (in that decision's transaction, under its
year-row lock) and by a periodic worker, because time passing without referrals is what
takes a contract below its guaranteed minimum.
"""
from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from crs_shared.db import utcnow
from crs_shared.events.contracts import ContractAtRisk

from contracts.adapters.capacity_repository import ContractHead
from contracts.adapters.mapping import terms_from_row
from contracts.domain.forecast import Forecast, forecast
from contracts.domain.risk import OVER_CAP, UNDER_MINIMUM, risks_to_raise
from contracts.service.uow import ContractsUnitOfWork


ALL_KINDS = (OVER_CAP, UNDER_MINIMUM)


def _assess(year: Any, today: date, volume: int, raised: set[str],
            kinds: tuple[str, ...]) -> tuple[Forecast, list[str]]:
    f = forecast(terms_from_row(year), year.start_date, year.end_date, today, volume)
    return f, risks_to_raise(f, (today - year.start_date).days + 1, raised, kinds)


async def check_year(uow: ContractsUnitOfWork, head: ContractHead, year: Any, today: date,
                     volume: int | None = None, kinds: tuple[str, ...] = ALL_KINDS) -> int:
    """Raise the risks newly shown for `year` (row-locked by the caller) if it covers `today`."""
    if not year.start_date <= today <= year.end_date:
        return 0
    volume = year.volume if volume is None else volume
    f, new = _assess(year, today, volume, await uow.risks.raised(head.id, year.year_number), kinds)
    for risk in new:
        await uow.risks.add(head.id, year.year_number, risk, f.projected_volume, utcnow())
        uow.emit(ContractAtRisk(
            contract_id=uuid.UUID(head.id), contract_reference=head.reference, contract_year=year.year_number,
            risk=risk, projected_volume=f.projected_volume, region_code=head.region_code), contract_id=head.id)
    return len(new)


async def check_all(uow: ContractsUnitOfWork, today: date) -> int:
    """The periodic check over every contract's current year; locks only the years with a new risk."""
    raised = await uow.risks.raised_all()
    candidates = []
    for row in await uow.reporting.current(today):
        if row.year_number is None:
            continue
        _, new = _assess(_YearView(row), today, row.volume, raised.get((row.id, row.year_number), set()), ALL_KINDS)
        if new:
            candidates.append((row.id, row.year_number))
    count = 0
    for contract_id, year_number in candidates:
        head = await uow.capacity.head(contract_id)
        year = await uow.capacity.lock_year(contract_id, year_number)
        if head is not None and year is not None:
            count += await check_year(uow, head, year, today)
    return count


class _YearView:
    """A reporting row (year_start/year_end) seen as a contract-year row (start_date/end_date)."""

    def __init__(self, row: Any) -> None:
        self._row = row
        self.start_date, self.end_date = row.year_start, row.year_end

    def __getattr__(self, name: str) -> Any:
        return getattr(self._row, name)
