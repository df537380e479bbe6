"""Provider use cases through the partner API: every one loads, checks access, acts, saves."""
from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from crs_shared.errors import FieldError, NotFound, ValidationFailed
from referrals.domain.access import provider_may_see
from referrals.domain.referral import Referral
from referrals.service.uow import Context, ReferralsUoW

T = TypeVar("T")


async def load_for_provider(uow: ReferralsUoW, referral_id: uuid.UUID, provider_id: uuid.UUID,
                            *, for_update: bool = True) -> Referral:
    referral = await uow.referrals.get(referral_id, for_update=for_update)
    if referral is None or not provider_may_see(referral, provider_id):
        raise NotFound("no such referral")
    return referral


async def _act(ctx: Context, provider_id: uuid.UUID, referral_id: uuid.UUID,
               step: Callable[[Referral, datetime], T]) -> tuple[Referral, T]:
    async with ctx.uow() as uow:
        referral = await load_for_provider(uow, referral_id, provider_id)
        result = step(referral, ctx.clock.now())
        await uow.save(referral)
        await uow.commit()
    return referral, result


async def accept(ctx: Context, provider_id: uuid.UUID, referral_id: uuid.UUID) -> Referral:
    """Accept a sent referral."""
    referral, _ = await _act(ctx, provider_id, referral_id, lambda r, now: r.accept(provider_id, now))
    return referral


async def decline(ctx: Context, provider_id: uuid.UUID, referral_id: uuid.UUID, reason_code: str,
                  comment: str | None) -> Referral:
    """Decline a sent referral, with a reason."""
    referral, _ = await _act(ctx, provider_id, referral_id,
                             lambda r, now: r.decline(provider_id, reason_code, comment, now))
    return referral


async def assign(ctx: Context, provider_id: uuid.UUID, referral_id: uuid.UUID, caseworker_id: uuid.UUID) -> Referral:
    """Assign or reassign a caseworker, who must be an active caseworker of this provider."""
    async with ctx.uow() as uow:
        referral = await load_for_provider(uow, referral_id, provider_id)
        if not await uow.catalogue.caseworker_of(caseworker_id, provider_id):
            raise ValidationFailed([FieldError("caseworker_id", "not_a_caseworker_of_provider",
                                               "no active caseworker of this provider has that id")])
        referral.assign(provider_id, caseworker_id, ctx.clock.now(), ctx.calendar)
        await uow.save(referral)
        await uow.commit()
    return referral


async def book_assessment(ctx: Context, provider_id: uuid.UUID, referral_id: uuid.UUID, starts_at: datetime,
                          duration_minutes: int, method: str) -> Referral:
    """Book or reschedule the initial assessment."""
    referral, _ = await _act(ctx, provider_id, referral_id, lambda r, now: r.book_assessment(
        provider_id, starts_at, duration_minutes, method, now))
    return referral


async def record_assessment(ctx: Context, provider_id: uuid.UUID, referral_id: uuid.UUID, attendance: str,
                            feedback: str | None, concerns: str | None) -> Referral:
    """Record attendance at the initial assessment."""
    referral, _ = await _act(ctx, provider_id, referral_id, lambda r, now: r.record_assessment(
        provider_id, attendance, feedback, concerns, now, ctx.calendar))
    return referral


async def submit_action_plan(ctx: Context, provider_id: uuid.UUID, referral_id: uuid.UUID, activities: list[str],
                             number_of_sessions: int) -> Referral:
    """Submit (or revise) the action plan."""
    referral, _ = await _act(ctx, provider_id, referral_id, lambda r, now: r.submit_action_plan(
        provider_id, activities, number_of_sessions, now))
    return referral


async def record_session(ctx: Context, provider_id: uuid.UUID, referral_id: uuid.UUID, attendance: str,
                         held_at: datetime, feedback: str | None, concerns: str | None) -> Referral:
    """Record the next delivery session."""
    referral, _ = await _act(ctx, provider_id, referral_id, lambda r, now: r.record_session(
        provider_id, attendance, held_at, feedback, concerns, now, ctx.calendar))
    return referral


async def submit_end_of_service_report(ctx: Context, provider_id: uuid.UUID, referral_id: uuid.UUID,
                                       outcomes: dict[str, dict[str, Any]]) -> Referral:
    """Submit the end-of-service report; the referral concludes."""
    referral, _ = await _act(ctx, provider_id, referral_id, lambda r, now: r.submit_end_of_service_report(
        provider_id, outcomes, now))
    return referral
