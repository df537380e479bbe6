"""Dependencies of the contracts API: the unit of work, callers, and the day to report on."""
from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends, Query, Request

from crs_shared.auth import Principal, TokenVerifier
from crs_shared.db import utcnow
from crs_shared.errors import Unauthorized
from crs_shared.web.security import require_roles

from contracts.service.uow import ContractsUnitOfWork

DASHBOARD_COOKIE = "crs_token"


def unit_of_work(request: Request) -> ContractsUnitOfWork:
    runtime = request.app.state.runtime
    return ContractsUnitOfWork(runtime.sessions, runtime.outbox, runtime.name)


def report_day(on: Annotated[date | None, Query(description="report as of this day (default today)")] = None) -> date:
    return on or utcnow().date()


def dashboard_principal(request: Request) -> Principal:
    """A browser's caller: bearer header, `token` query parameter or cookie (dashboard pages only)."""
    header = request.headers.get("authorization", "")
    raw = header[7:] if header.lower().startswith("bearer ") else None
    raw = raw or request.query_params.get("token") or request.cookies.get(DASHBOARD_COOKIE)
    if not raw:
        raise Unauthorized("a token is required (header, ?token= or cookie)")
    verifier: TokenVerifier = request.app.state.token_verifier
    principal = verifier.verify(raw)
    principal.require("commercial", "admin")
    return principal


UoW = Annotated[ContractsUnitOfWork, Depends(unit_of_work)]
Today = Annotated[date, Depends(report_day)]
Admin = Annotated[Principal, Depends(require_roles("admin"))]
Commercial = Annotated[Principal, Depends(require_roles("commercial", "admin"))]
Reader = Annotated[Principal, Depends(require_roles("commercial", "admin", "provider"))]
DashboardUser = Annotated[Principal, Depends(dashboard_principal)]
