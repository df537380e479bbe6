"""Providers and caseworkers: admins change them, every authenticated caller reads them."""
from __future__ import annotations

import uuid

from fastapi import APIRouter, Query

from crs_shared.auth import Principal
from crs_shared.errors import FieldError, Forbidden, NotFound, ValidationFailed
from crs_shared.web.security import CurrentPrincipal

from providers.api.deps import Admin, UoW
from providers.api.provider_schemas import (
    CaseworkerIn, CaseworkerOut, CaseworkerPatch, ProviderIn, ProviderOut, ProviderPage, ProviderPatch,
)
from providers.domain.provider import ProviderDetails, normalise_company_number
from providers.domain.search import Cursor
from providers.service import providers as handlers

router = APIRouter(prefix="/v1/providers", tags=["providers"])


def _sees_caseworkers(principal: Principal, provider_id: uuid.UUID) -> bool:
    """Caseworkers' contact details are for admins and their own organisation only."""
    return principal.role == "admin" or (
        principal.role == "provider" and principal.organisation_id == str(provider_id))


@router.post("", status_code=201, response_model=ProviderOut)
async def register_provider(body: ProviderIn, _: Admin, uow: UoW) -> ProviderOut:
    """Register a provider organisation (admin only)."""
    details = ProviderDetails(body.name, body.organisation_type, body.referral_mailbox, body.charity_number,
                              normalise_company_number(body.company_number))
    provider = await handlers.register_provider(uow, details, [(c.name, c.email) for c in body.caseworkers])
    return ProviderOut.of(provider, with_caseworkers=True)


@router.get("", response_model=ProviderPage)
async def list_providers(
    _: CurrentPrincipal, uow: UoW, cursor: str | None = None, limit: int = Query(50, ge=1, le=200),
) -> ProviderPage:
    """Providers sorted by name, a page at a time (pass next_cursor back as cursor)."""
    after = None
    if cursor is not None:
        try:
            c = Cursor.decode(cursor)
        except ValueError:
            raise ValidationFailed([FieldError("cursor", "invalid_cursor")]) from None
        after = (c.title, c.id)
    rows = await handlers.list_providers(uow, after, limit)
    page, more = rows[:limit], len(rows) > limit
    next_cursor = Cursor(page[-1].details.name, page[-1].id).encode() if more else None
    return ProviderPage(items=[ProviderOut.of(p, with_caseworkers=False) for p in page], next_cursor=next_cursor)


@router.get("/{provider_id}", response_model=ProviderOut)
async def get_provider(provider_id: uuid.UUID, principal: CurrentPrincipal, uow: UoW) -> ProviderOut:
    """One provider; its caseworkers only for admins and the provider itself."""
    provider = await handlers.get_provider(uow, provider_id)
    return ProviderOut.of(provider, with_caseworkers=_sees_caseworkers(principal, provider_id))


@router.patch("/{provider_id}", response_model=ProviderOut)
async def update_provider(provider_id: uuid.UUID, body: ProviderPatch, _: Admin, uow: UoW) -> ProviderOut:
    """Change a provider's details or status (admin only)."""
    changes = body.model_dump(exclude_unset=True)
    status = changes.pop("status", None)
    nulls = [k for k in ("name", "organisation_type", "referral_mailbox") if k in changes and changes[k] is None]
    if nulls:
        raise ValidationFailed([FieldError(k, "required", "cannot be cleared") for k in nulls])
    if "company_number" in changes:
        changes["company_number"] = normalise_company_number(changes["company_number"])
    provider = await handlers.update_provider(uow, provider_id, changes, status)
    return ProviderOut.of(provider, with_caseworkers=True)


@router.get("/{provider_id}/caseworkers", response_model=list[CaseworkerOut])
async def list_caseworkers(provider_id: uuid.UUID, principal: CurrentPrincipal, uow: UoW) -> list[CaseworkerOut]:
    """A provider's caseworkers (admins, and the provider itself)."""
    if principal.role not in ("admin", "provider"):
        raise Forbidden("only admins and the provider itself see caseworkers")
    if not _sees_caseworkers(principal, provider_id):
        raise NotFound(f"no provider {provider_id}")  # another provider's staff: not even their existence
    provider = await handlers.get_provider(uow, provider_id)
    return [CaseworkerOut.of(c) for c in provider.caseworkers]


@router.post("/{provider_id}/caseworkers", status_code=201, response_model=CaseworkerOut)
async def add_caseworker(provider_id: uuid.UUID, body: CaseworkerIn, _: Admin, uow: UoW) -> CaseworkerOut:
    """Add a caseworker who can be assigned referrals (admin only)."""
    return CaseworkerOut.of(await handlers.add_caseworker(uow, provider_id, body.name, body.email))


@router.patch("/{provider_id}/caseworkers/{caseworker_id}", response_model=CaseworkerOut)
async def update_caseworker(
    provider_id: uuid.UUID, caseworker_id: uuid.UUID, body: CaseworkerPatch, _: Admin, uow: UoW,
) -> CaseworkerOut:
    """Change or deactivate a caseworker (admin only)."""
    changes = body.model_dump(exclude_unset=True)
    return CaseworkerOut.of(await handlers.update_caseworker(uow, provider_id, caseworker_id, **changes))

