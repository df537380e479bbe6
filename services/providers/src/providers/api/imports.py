"""Bulk onboarding of providers and interventions from a JSON or CSV file."""
from __future__ import annotations

import uuid
from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel

from crs_shared.errors import FieldError, ValidationFailed

from providers.api.deps import Admin, UoW
from providers.service.imports import import_catalogue

router = APIRouter(prefix="/v1/catalogue", tags=["bulk import"])
MAX_BYTES = 5 * 1024 * 1024


class ImportedIntervention(BaseModel):
    row: int
    id: uuid.UUID
    contract_reference: str


class ImportReport(BaseModel):
    providers: dict[str, uuid.UUID]
    interventions: list[ImportedIntervention]


def file_format(content_type: str, filename: str | None = None) -> Literal["json", "csv"]:
    name = (filename or "").lower()
    if name.endswith(".csv") or "csv" in content_type:
        return "csv"
    if name.endswith(".json") or "json" in content_type:
        return "json"
    raise ValidationFailed([FieldError("file", "unsupported_format", "upload a .json or .csv file")])


async def _upload(request: Request) -> tuple[bytes, Literal["json", "csv"]]:
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise ValidationFailed([FieldError("file", "required", "attach the catalogue as form field 'file'")])
        content = await upload.read(MAX_BYTES + 1)
        fmt = file_format(upload.content_type or "", upload.filename)
    else:
        content = await request.body()
        fmt = file_format(content_type)
    if len(content) > MAX_BYTES:
        raise ValidationFailed([FieldError("file", "too_large", f"at most {MAX_BYTES} bytes")])
    return content, fmt


@router.post("/imports", status_code=201, response_model=ImportReport, responses={422: {"description": (
    "nothing was imported; `errors` lists every problem as {record, row, field, code, message}")}})
async def import_file(request: Request, _: Admin, uow: UoW) -> ImportReport:
    """Import providers and interventions from a JSON or CSV file, all or nothing (admin only)."""
    content, fmt = await _upload(request)
    result = await import_catalogue(uow, content, fmt)
    return ImportReport(
        providers=result.providers,
        interventions=[ImportedIntervention(row=r, id=i, contract_reference=c) for r, i, c in result.interventions],
    )
