"""Bulk onboarding of providers and interventions from a JSON or CSV file."""
from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from pydantic import BaseModel

from crs_shared.web.uploads import read_upload

from providers.api.deps import Admin, UoW
from providers.service.imports import import_catalogue

router = APIRouter(prefix="/v1/catalogue", tags=["bulk import"])


class ImportedIntervention(BaseModel):
    row: int
    id: uuid.UUID
    contract_reference: str


class ImportReport(BaseModel):
    providers: dict[str, uuid.UUID]
    interventions: list[ImportedIntervention]


@router.post("/imports", status_code=201, response_model=ImportReport, responses={422: {"description": (
    "nothing was imported; `errors` lists every problem as {record, row, field, code, message}")}})
async def import_file(request: Request, _: Admin, uow: UoW) -> ImportReport:
    """Import providers and interventions from a JSON or CSV file, all or nothing (admin only)."""
    content, fmt = await read_upload(request)
    result = await import_catalogue(uow, content, fmt)
    return ImportReport(
        providers=result.providers,
        interventions=[ImportedIntervention(row=r, id=i, contract_reference=c) for r, i, c in result.interventions],
    )
