"""Read-only reference data: regions, PCC areas, contract types, categories, reasons."""
from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from crs_shared.errors import FieldError, ValidationFailed
from crs_shared.web.security import CurrentPrincipal

from providers.api.deps import UoW

router = APIRouter(prefix="/v1", tags=["reference data"])


class Region(BaseModel):
    code: str
    name: str
    pcc_areas: list[str]


class PccArea(BaseModel):
    code: str
    name: str
    region_code: str
    region_name: str


class ContractType(BaseModel):
    code: str
    name: str
    service_categories: list[str]


class ComplexityLevel(BaseModel):
    level: str
    description: str


class DesiredOutcome(BaseModel):
    code: str
    description: str


class ServiceCategory(BaseModel):
    code: str
    name: str
    contract_types: list[str]
    complexity_levels: list[ComplexityLevel]
    desired_outcomes: list[DesiredOutcome]


class WithdrawalReason(BaseModel):
    code: str
    description: str
    group_code: str
    group_name: str


class DeclineReason(BaseModel):
    code: str
    description: str


@router.get("/regions", response_model=list[Region])
async def list_regions(_: CurrentPrincipal, uow: UoW) -> list[dict]:
    """The 12 probation regions, each with its PCC areas."""
    async with uow:
        return await uow.reference.regions()


@router.get("/pcc-areas", response_model=list[PccArea])
async def list_pcc_areas(_: CurrentPrincipal, uow: UoW, region: str | None = None) -> list[dict]:
    """The 42 PCC areas with the probation region each lies in (optionally of one region)."""
    async with uow:
        if region is not None and region not in (await uow.reference_data()).region_codes:
            raise ValidationFailed([FieldError("region", "unknown_region", f"no region {region!r}")])
        return await uow.reference.pcc_areas(region)


@router.get("/contract-types", response_model=list[ContractType])
async def list_contract_types(_: CurrentPrincipal, uow: UoW) -> list[dict]:
    """Contract types and the service categories each covers."""
    async with uow:
        return await uow.reference.contract_types()


@router.get("/service-categories", response_model=list[ServiceCategory])
async def list_service_categories(_: CurrentPrincipal, uow: UoW) -> list[dict]:
    """Service categories with their complexity levels and desired outcomes."""
    async with uow:
        return await uow.reference.service_categories()


@router.get("/withdrawal-reasons", response_model=list[WithdrawalReason])
async def list_withdrawal_reasons(_: CurrentPrincipal, uow: UoW) -> list[dict]:
    """Reasons a practitioner may give for withdrawing a referral, in groups."""
    async with uow:
        return await uow.reference.withdrawal_reasons()


@router.get("/decline-reasons", response_model=list[DeclineReason])
async def list_decline_reasons(_: CurrentPrincipal, uow: UoW) -> list[dict]:
    """Reasons a provider may give for declining a referral."""
    async with uow:
        return await uow.reference.decline_reasons()
