"""Read use cases, each behind the same access rules as the writes."""
from __future__ import annotations

import uuid
from typing import Any

from crs_shared.errors import NotFound
from referrals.adapters.referral_queries import Filters, Page, practitioner_scope, provider_scope
from referrals.domain.access import practitioner_may_see, provider_may_see
from referrals.domain.referral import Practitioner, Referral
from referrals.service.delivery import load_for_provider
from referrals.service.intake import add_case_note
from referrals.service.uow import Context, ReferralsUoW


async def _for_practitioner(uow: ReferralsUoW, referral_id: uuid.UUID, who: Practitioner) -> Referral:
    referral = await uow.referrals.get(referral_id)
    if referral is None or not practitioner_may_see(referral, who.subject, who.team_code, who.region_code):
        raise NotFound("no such referral")
    return referral


async def practitioner_referral(ctx: Context, who: Practitioner, referral_id: uuid.UUID) -> Referral:
    async with ctx.uow() as uow:
        return await _for_practitioner(uow, referral_id, who)


async def provider_referral(ctx: Context, provider_id: uuid.UUID, referral_id: uuid.UUID) -> Referral:
    async with ctx.uow() as uow:
        return await load_for_provider(uow, referral_id, provider_id, for_update=False)


async def practitioner_page(ctx: Context, who: Practitioner, filters: Filters, limit: int,
                            cursor: str | None) -> Page:
    async with ctx.uow() as uow:
        return await uow.queries.page(practitioner_scope(who.subject, who.team_code, who.region_code), filters,
                                      order_by="created_at", limit=limit, cursor=cursor)


async def provider_page(ctx: Context, provider_id: uuid.UUID, filters: Filters, limit: int,
                        cursor: str | None) -> Page:
    async with ctx.uow() as uow:
        return await uow.queries.page(provider_scope(provider_id), filters, order_by="sent_at", limit=limit,
                                      cursor=cursor)


async def history(ctx: Context, referral_id: uuid.UUID, *, who: Practitioner | None = None,
                  provider_id: uuid.UUID | None = None, kind: str) -> list[dict[str, Any]]:
    """The transition log, amendments or case notes of a referral the caller may see."""
    async with ctx.uow() as uow:
        if who is not None:
            await _for_practitioner(uow, referral_id, who)
        else:
            assert provider_id is not None
            await load_for_provider(uow, referral_id, provider_id, for_update=False)
        return await getattr(uow.queries, kind)(referral_id)


async def write_case_note(ctx: Context, referral_id: uuid.UUID, subject: str, body: str, *,
                          who: Practitioner | None = None, provider_id: uuid.UUID | None = None) -> dict[str, Any]:
    """Add a case note, from the practitioner's side or the provider's."""
    async with ctx.uow() as uow:
        referral = await uow.referrals.get(referral_id)
        if who is not None:
            visible = referral is not None and practitioner_may_see(referral, who.subject, who.team_code,
                                                                    who.region_code)
            role, author = "practitioner", who.subject
        else:
            assert provider_id is not None
            visible = referral is not None and provider_may_see(referral, provider_id)
            role, author = "provider", str(provider_id)
        if not visible:
            raise NotFound("no such referral")
        note = await add_case_note(ctx, uow, referral, role, author, subject, body)
        await uow.commit()
    return note
