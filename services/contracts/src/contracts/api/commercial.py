"""Commercial API: summaries with forecasts, weekly series, roll-ups, at-risk list, register."""
from __future__ import annotations

import csv
import io
import uuid
from typing import Literal

from fastapi import APIRouter
from fastapi.responses import Response

from contracts.api.deps import Commercial, Reader, Today, UoW
from contracts.api.report_schemas import (
    ContractSummary, Register, Rollup, SummaryPage, ValueShares,
)
from contracts.service import reporting

router = APIRouter(prefix="/v1", tags=["commercial"])

Dimension = Literal["region", "pcc_area", "contract_type", "provider", "supplier_status"]
REGISTER_COLUMNS = ("reference", "title", "contract_type", "supplier", "supplier_status", "area_kind", "area_code",
                    "area_name", "region_code", "value", "start_date", "end_date", "subcontractors")


@router.get("/contracts/{contract_id}/summary", response_model=ContractSummary)
async def summary(contract_id: uuid.UUID, principal: Reader, uow: UoW, today: Today) -> dict:
    """Current-year volume, cap, utilisation, band, estimate and forecast (a provider: volume only)."""
    return await reporting.contract_summary(uow, principal, str(contract_id), today)


@router.get("/contracts/{contract_id}/weekly")
async def weekly(contract_id: uuid.UUID, principal: Reader, uow: UoW, today: Today, year: int | None = None) -> dict:
    """Weekly counted, waitlisted, started, completed and withdrawn referrals over a contract year."""
    return await reporting.weekly_series(uow, principal, str(contract_id), today, year)


@router.get("/commercial/contracts", response_model=SummaryPage)
async def overview(principal: Commercial, uow: UoW, today: Today, region: str | None = None,
                   contract_type: str | None = None, supplier_status: str | None = None) -> dict:
    """Every contract's current-year summary, filtered by region, contract type or supplier status."""
    items = await reporting.contracts_overview(uow, today, region=region, contract_type=contract_type,
                                               supplier_status=supplier_status)
    return {"items": items, "total": len(items)}


@router.get("/commercial/at-risk", response_model=SummaryPage)
async def at_risk(principal: Commercial, uow: UoW, today: Today) -> dict:
    """Contracts forecast over their cap or under their guaranteed minimum."""
    items = await reporting.at_risk(uow, today)
    return {"items": items, "total": len(items)}


@router.get("/commercial/rollups/{dimension}", response_model=Rollup)
async def rollup(dimension: Dimension, principal: Commercial, uow: UoW, today: Today) -> dict:
    """Current-year volume, cap and value summed by region, PCC area, contract type, provider or supplier status."""
    return {"dimension": dimension, "groups": await reporting.rollup(uow, dimension, today)}


@router.get("/commercial/unmatched-referrals")
async def unmatched(principal: Commercial, uow: UoW) -> dict:
    """Referrals whose contract reference matches no awarded contract (an anomaly to resolve)."""
    async with uow:
        rows = await uow.capacity.unmatched()
    return {"items": [dict(r._mapping) for r in rows]}


@router.get("/register", response_model=Register)
async def register(principal: Commercial, uow: UoW) -> dict:
    """The register of awarded contracts: reference, supplier, status, area, value, term, subcontractors."""
    return {"items": await reporting.register(uow)}


@router.get("/register.csv", response_class=Response)
async def register_csv(principal: Commercial, uow: UoW) -> Response:
    """The register of awarded contracts as CSV."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=REGISTER_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(await reporting.register(uow))
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="contracts-register.csv"'})


@router.get("/register/value-by-supplier-status", response_model=ValueShares)
async def value_share(principal: Commercial, uow: UoW) -> dict:
    """Share of awarded contract value by the prime's supplier status (VCSE, SME, ...)."""
    return {"groups": await reporting.value_share(uow)}
