"""Capacity decisions from the contracts service move a submitted referral on."""
from __future__ import annotations

import logging

from crs_shared.events.contracts import ContractReferralCounted, ContractReferralWaitlisted
from referrals.domain.states import Action, Actor
from referrals.service.uow import Context, ReferralsUoW

log = logging.getLogger(__name__)


async def referral_counted(ctx: Context, uow: ReferralsUoW, event: ContractReferralCounted) -> None:
    referral = await uow.referrals.get(event.referral_id, for_update=True)
    if referral is None:
        return  # not one of ours (or a deleted draft): nothing to move
    if not referral.can(Action.COUNT, Actor.SYSTEM):
        # e.g. withdrawn before the decision arrived: contracts learns from referral.withdrawn
        log.info("ignoring count of referral %s in state %s", referral.id, referral.state)
        return
    referral.count(event.contract_id, ctx.clock.now(), ctx.calendar)
    await uow.save(referral)
    await uow.commit()


async def referral_waitlisted(ctx: Context, uow: ReferralsUoW, event: ContractReferralWaitlisted) -> None:
    referral = await uow.referrals.get(event.referral_id, for_update=True)
    if referral is None or not referral.can(Action.WAITLIST, Actor.SYSTEM):
        log.info("ignoring waitlisting of referral %s", event.referral_id)
        return
    referral.waitlist(event.contract_id, event.position, ctx.clock.now())
    await uow.save(referral)
    await uow.commit()
