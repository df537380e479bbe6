"""Dependencies every router of this service shares."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from crs_shared.auth import Principal
from crs_shared.web.security import require_roles

from providers.service.uow import CatalogueUoW


def unit_of_work(request: Request) -> CatalogueUoW:
    runtime = request.app.state.runtime
    return CatalogueUoW(runtime.sessions, runtime.outbox, runtime.name, request.app.state.reference_cache)


UoW = Annotated[CatalogueUoW, Depends(unit_of_work)]
Admin = Annotated[Principal, Depends(require_roles("admin"))]
