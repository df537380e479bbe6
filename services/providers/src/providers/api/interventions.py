"""Interventions: admins publish, change and close them; every authenticated caller searches them."""
from __future__ import annotations

import uuid
from datetime import date

from fastapi import APIRouter, Query

from crs_shared.errors import FieldError, ValidationFailed
from crs_shared.web.security import CurrentPrincipal

from providers.api.deps import Admin, UoW
from providers.api.intervention_schemas import (
    InterventionIn, InterventionOut, InterventionPage, InterventionPatch, VersionOut,
)
from providers.domain.search import MAX_PAGE, Cursor, SearchQuery
from providers.service import interventions as handlers

router = APIRouter(prefix="/v1/interventions", tags=["interventions"])


@router.get("", response_model=InterventionPage)
async def search_interventions(
    _: CurrentPrincipal,
    uow: UoW,
    pcc_area: str | None = Query(None, description="PCC area code; interventions for its whole region match too"),
    service_category: str | None = None,
    age: int | None = Query(None, description="the person's age, checked against eligibility"),
    sex: str | None = Query(None, description="male or female"),
    open_on: date | None = Query(None, description="only interventions whose referral window contains this day"),
    provider_id: uuid.UUID | None = Query(None, description="delivered by this provider, as prime or subcontractor"),
    include_closed: bool = False,
    cursor: str | None = None,
    limit: int = Query(25, ge=1, le=MAX_PAGE),
) -> InterventionPage:
    """Search interventions, sorted by title then id, a page at a time."""
    try:
        after = Cursor.decode(cursor) if cursor else None
    except ValueError:
        raise ValidationFailed([FieldError("cursor", "invalid_cursor")]) from None
    query = SearchQuery(pcc_area=pcc_area, service_category=service_category, age=age, sex=sex, open_on=open_on,
                        provider_id=provider_id, include_closed=include_closed, after=after, limit=limit)
    rows, more, ref = await handlers.search_interventions(uow, query)
    next_cursor = Cursor(rows[-1].definition.title, rows[-1].id).encode() if more and rows else None
    return InterventionPage(items=[InterventionOut.of_intervention(i, ref) for i in rows], next_cursor=next_cursor)


@router.post("", status_code=201, response_model=InterventionOut)
async def publish_intervention(body: InterventionIn, _: Admin, uow: UoW) -> InterventionOut:
    """Publish a new intervention as version 1 (admin only)."""
    intervention = await handlers.publish_intervention(uow, body.domain())
    _, ref = await handlers.get_intervention(uow, intervention.id)
    return InterventionOut.of_intervention(intervention, ref)


@router.get("/{intervention_id}", response_model=InterventionOut)
async def get_intervention(intervention_id: uuid.UUID, _: CurrentPrincipal, uow: UoW) -> InterventionOut:
    """An intervention as its current version describes it."""
    intervention, ref = await handlers.get_intervention(uow, intervention_id)
    return InterventionOut.of_intervention(intervention, ref)


@router.patch("/{intervention_id}", response_model=InterventionOut)
async def revise_intervention(
    intervention_id: uuid.UUID, body: InterventionPatch, _: Admin, uow: UoW,
) -> InterventionOut:
    """Change an intervention: publishes the next version; earlier versions stay as they were (admin only)."""
    await handlers.revise_intervention(uow, intervention_id, body.changes())
    intervention, ref = await handlers.get_intervention(uow, intervention_id)
    return InterventionOut.of_intervention(intervention, ref)


@router.post("/{intervention_id}/close", response_model=InterventionOut)
async def close_intervention(intervention_id: uuid.UUID, _: Admin, uow: UoW) -> InterventionOut:
    """Close an intervention to new referrals (admin only)."""
    await handlers.close_intervention(uow, intervention_id)
    intervention, ref = await handlers.get_intervention(uow, intervention_id)
    return InterventionOut.of_intervention(intervention, ref)


@router.get("/{intervention_id}/versions/{number}", response_model=VersionOut)
async def get_version(intervention_id: uuid.UUID, number: int, _: CurrentPrincipal, uow: UoW) -> VersionOut:
    """One published version of an intervention, exactly as it was published."""
    return VersionOut.of(intervention_id, await handlers.get_version(uow, intervention_id, number))
