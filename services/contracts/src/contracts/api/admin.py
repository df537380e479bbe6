"""Admin API: award, vary, read and bulk-import contracts."""
from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request

from crs_shared.errors import NotFound

from contracts.api.contract_import import CSV_COLUMNS, parse_import
from contracts.api.deps import Admin, Commercial, Reader, UoW
from contracts.api.schemas import (
    AwardRequest, ContractListItem, ContractOut, ContractPage, VariationOut, VariationRequest,
)
from contracts.service.awarding import award_contract, import_contracts, vary_contract

router = APIRouter(prefix="/v1/contracts", tags=["contracts"])


@router.post("", status_code=201, response_model=ContractOut)
async def award(body: AwardRequest, principal: Admin, uow: UoW) -> ContractOut:
    """Award a contract: its parties, area, term, contract years and their commercial terms."""
    return ContractOut.of(await award_contract(uow, body.command(), by=principal.subject))


# The body is parsed by hand (JSON, CSV or an upload), so its accepted forms are declared here for OpenAPI.
IMPORT_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": {"oneOf": [
        {"type": "array", "minItems": 1, "items": {"$ref": "#/components/schemas/AwardRequest"}},
        {"type": "object", "required": ["contracts"], "properties": {
            "contracts": {"type": "array", "minItems": 1, "items": {"$ref": "#/components/schemas/AwardRequest"}}}},
    ]}},
    "text/csv": {"schema": {"type": "string", "description": "one contract per row: " + ", ".join(CSV_COLUMNS)}},
    "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
        "file": {"type": "string", "format": "binary", "description": "a .csv file or a JSON file as above"}}}},
}}}


@router.post("/import", status_code=201, openapi_extra=IMPORT_BODY)
async def bulk_import(request: Request, principal: Admin, uow: UoW) -> dict:
    """Award many contracts from CSV or JSON: all of them or none, with a row-level error report."""
    commands = await parse_import(request)
    awarded = await import_contracts(uow, commands, by=principal.subject)
    return {"imported": len(awarded), "contracts": [{"id": str(c.id), "reference": c.reference} for c in awarded]}


@router.post("/{contract_id}/variations", status_code=201, response_model=VariationOut)
async def vary(contract_id: uuid.UUID, body: VariationRequest, principal: Admin, uow: UoW) -> VariationOut:
    """Vary a contract (cap, term, bands, supply chain); who, when and why are recorded."""
    _, variation = await vary_contract(uow, contract_id, body.command(), by=principal.subject)
    return VariationOut.of(variation)


@router.get("/{contract_id}/variations", response_model=list[VariationOut])
async def variations(contract_id: uuid.UUID, principal: Commercial, uow: UoW) -> list[VariationOut]:
    """The variation history of a contract, oldest first, with the terms before each one."""
    async with uow:
        if await uow.contracts.get(contract_id) is None:
            raise NotFound("no such contract")
        rows = await uow.contracts.variations(contract_id)
    return [VariationOut(id=r.id, contract_id=r.contract_id, kinds=r.kinds, reason=r.reason, varied_by=r.varied_by,
                         varied_at=r.varied_at, changes=r.changes, terms_before=r.terms_before) for r in rows]


@router.get("/{contract_id}", response_model=ContractOut)
async def get_contract(contract_id: uuid.UUID, principal: Reader, uow: UoW) -> ContractOut:
    """A contract and its terms (commercial and admin; a provider sees only its own, via the summary)."""
    principal.require("commercial", "admin")
    async with uow:
        contract = await uow.contracts.get(contract_id)
    if contract is None:
        raise NotFound("no such contract")
    return ContractOut.of(contract)


@router.get("", response_model=ContractPage)
async def list_contracts(
    principal: Reader, uow: UoW,
    region: str | None = None, contract_type: str | None = None, supplier_status: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100, offset: Annotated[int, Query(ge=0)] = 0,
) -> ContractPage:
    """Contracts by reference; a provider sees only those where it is prime or subcontractor."""
    provider = principal.organisation_id if principal.role == "provider" else None
    async with uow:
        rows, total = await uow.contracts.list_rows(
            region=region, contract_type=contract_type, supplier_status=supplier_status,
            provider_id=provider, limit=limit, offset=offset)
    money = principal.role != "provider"
    items = [ContractListItem(
        id=r.id, reference=r.reference, title=r.title, contract_type=r.contract_type,
        supplier_status=r.supplier_status if money else None, area_kind=r.area_kind, area_code=r.area_code,
        region_code=r.region_code, start_date=r.start_date, end_date=r.end_date,
        total_value=r.total_value if money else None) for r in rows]
    return ContractPage(items=items, total=total, limit=limit, offset=offset)
