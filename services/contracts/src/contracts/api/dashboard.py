"""Web dashboard for commercial users: server-rendered pages, no build step, works without JS."""
from __future__ import annotations

import uuid
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from contracts.api.chart import cumulative_chart
from contracts.api.deps import DASHBOARD_COOKIE, DashboardUser, Today, UoW
from contracts.domain.contract import CONTRACT_TYPES, SUPPLIER_STATUSES
from contracts.service import reporting

router = APIRouter(prefix="/dashboard", tags=["dashboard"], include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def _render(request: Request, name: str, context: dict) -> HTMLResponse:
    response = templates.TemplateResponse(request, name, context)
    token = request.query_params.get("token")
    if token:  # remember a token given in the link, so that filter forms and links keep working
        response.set_cookie(DASHBOARD_COOKIE, token, httponly=True, samesite="strict", path="/dashboard")
    return response


@router.get("", response_class=HTMLResponse)
async def contracts_page(request: Request, principal: DashboardUser, uow: UoW, today: Today,
                         region: str | None = None, contract_type: str | None = None,
                         supplier_status: str | None = None) -> HTMLResponse:
    """Contracts table with utilisation bars and filters, and the at-risk list."""
    filters = {"region": region or None, "contract_type": contract_type or None,
               "supplier_status": supplier_status or None}
    items = await reporting.contracts_overview(uow, today, **filters)
    risky = await reporting.at_risk(uow, today)
    async with uow:
        regions = await uow.reporting.region_names()
    return _render(request, "contracts.html", {
        "items": items, "at_risk": risky, "filters": filters, "regions": regions, "today": today,
        "contract_types": CONTRACT_TYPES, "supplier_statuses": SUPPLIER_STATUSES,
    })


@router.get("/contracts/{contract_id}", response_class=HTMLResponse)
async def contract_page(request: Request, contract_id: uuid.UUID, principal: DashboardUser, uow: UoW,
                        today: Today) -> HTMLResponse:
    """One contract: its year so far as a chart of cumulative referrals against cap, estimate and bands."""
    summary = await reporting.contract_summary(uow, principal, str(contract_id), today)
    series = await reporting.weekly_series(uow, principal, str(contract_id), today)
    return _render(request, "contract.html", {
        "c": summary, "series": series, "chart": cumulative_chart(series), "today": today,
    })
