"""Periodic jobs: service-level breaches (once per deadline) and the deletion of stale drafts."""
from __future__ import annotations

import logging
from datetime import timedelta

from crs_shared.events.referrals import ReferralSlaBreached
from referrals.adapters.deadline_repository import DeadlineRepository
from referrals.service.uow import Context

log = logging.getLogger(__name__)
DRAFT_LIFETIME = timedelta(days=90)


async def report_breaches(ctx: Context, limit: int = 200) -> int:
    """Emit `referral.sla_breached` for each due deadline and mark it breached, in one transaction."""
    async with ctx.uow() as uow:
        now = ctx.clock.now()
        deadlines = DeadlineRepository(uow.session)
        due = await deadlines.claim_due(now, limit)
        for d in due:
            uow.emit(ReferralSlaBreached(referral_id=d.referral_id, reference=d.reference, sla=d.sla,
                                         due_at=d.due_at, due_date=d.due_date), referral_id=d.referral_id)
        await deadlines.mark_breached([d.id for d in due], now)
        await uow.commit()
    return len(due)


async def delete_stale_drafts(ctx: Context) -> int:
    """Delete drafts nobody touched for 90 days."""
    async with ctx.uow() as uow:
        deleted = await uow.referrals.delete_drafts_untouched_since(ctx.clock.now() - DRAFT_LIFETIME)
        await uow.commit()
    if deleted:
        log.info("deleted %d stale drafts", deleted)
    return deleted
