"""Practitioner use cases: drafts, submit (idempotent), amend, withdraw, redirect."""
from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

from crs_shared.db import utcnow
from crs_shared.errors import Conflict, FieldError, NotFound, ValidationFailed
from crs_shared.events.referrals import ReferralCaseNoteAdded
from referrals.domain.access import practitioner_may_see
from referrals.domain.reference import new_reference
from referrals.domain.referral import Practitioner, Referral
from referrals.domain.states import Action, State
from referrals.domain.withdrawal import REDIRECTED
from referrals.service.uow import Context, ReferralsUoW

REFERENCE_ATTEMPTS = 8


@dataclass(frozen=True)
class Submitted:
    referral: Referral
    replayed: bool


def request_hash(body: Any) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


async def load_for_practitioner(uow: ReferralsUoW, referral_id: uuid.UUID, who: Practitioner) -> Referral:
    referral = await uow.referrals.get(referral_id, for_update=True)
    if referral is None or not practitioner_may_see(referral, who.subject, who.team_code, who.region_code):
        raise NotFound("no such referral")
    return referral


async def create_draft(ctx: Context, who: Practitioner, content: dict[str, Any]) -> Referral:
    """Start a draft referral."""
    async with ctx.uow() as uow:
        referral = Referral.draft(content, who, ctx.clock.now())
        await uow.save(referral, new=True)
        await uow.commit()
    return referral


async def update_draft(ctx: Context, who: Practitioner, referral_id: uuid.UUID, content: dict[str, Any]) -> Referral:
    """Replace a draft's content."""
    async with ctx.uow() as uow:
        referral = await load_for_practitioner(uow, referral_id, who)
        referral.update_draft(content, ctx.clock.now())
        await uow.save(referral)
        await uow.commit()
    return referral


async def _submit(ctx: Context, uow: ReferralsUoW, referral: Referral) -> None:
    now = ctx.clock.now()
    intervention_id = referral.details.intervention_id
    intervention = await uow.catalogue.latest(intervention_id) if intervention_id else None
    referral.submit(intervention, now, ctx.calendar.local_date(now))
    contract_type = referral.contract_type or "XXX"
    await uow.referrals.claim_reference(referral, (new_reference(contract_type) for _ in range(REFERENCE_ATTEMPTS)))


async def _replay(uow: ReferralsUoW, who: Practitioner, key: str | None, body_hash: str) -> Referral | None:
    """The referral an earlier request with this key made; None if the key is new (now claimed)."""
    if key is None:
        return None
    stored = await uow.keys.claim(who.subject, key, body_hash, utcnow())
    if stored is None:
        return None
    if stored.request_hash != body_hash or stored.referral_id is None:
        raise ValidationFailed([FieldError("Idempotency-Key", "idempotency_key_reused",
                                           "this key was used for a different request")])
    referral = await uow.referrals.get(stored.referral_id)
    if referral is None:
        raise NotFound("the referral made with this key no longer exists")
    return referral


async def submit_new(ctx: Context, who: Practitioner, content: dict[str, Any], key: str) -> Submitted:
    """Create and submit a referral in one step; retries with the same key give the same referral."""
    async with ctx.uow() as uow:
        earlier = await _replay(uow, who, key, request_hash({"new": content}))
        if earlier is not None:
            return Submitted(earlier, True)
        referral = Referral.draft(content, who, ctx.clock.now())
        await uow.referrals.add(referral)
        await _submit(ctx, uow, referral)
        await uow.save(referral)
        await uow.keys.complete(who.subject, key, referral.id)
        await uow.commit()
    return Submitted(referral, False)


async def submit_draft(ctx: Context, who: Practitioner, referral_id: uuid.UUID, key: str | None) -> Submitted:
    """Submit a draft; with an idempotency key a retry returns the submitted referral."""
    async with ctx.uow() as uow:
        earlier = await _replay(uow, who, key, request_hash({"draft": str(referral_id)}))
        if earlier is not None:
            return Submitted(earlier, True)
        referral = await load_for_practitioner(uow, referral_id, who)
        await _submit(ctx, uow, referral)
        await uow.save(referral)
        if key is not None:
            await uow.keys.complete(who.subject, key, referral.id)
        await uow.commit()
    return Submitted(referral, False)


async def amend(ctx: Context, who: Practitioner, referral_id: uuid.UUID, changes: dict[str, Any],
                reason: str) -> list[str]:
    """Amend a submitted referral; old and new values are logged."""
    async with ctx.uow() as uow:
        referral = await load_for_practitioner(uow, referral_id, who)
        intervention = None
        if referral.intervention_id and referral.intervention_version is not None:
            intervention = await uow.catalogue.version(referral.intervention_id, referral.intervention_version)
        now = ctx.clock.now()
        changed = referral.amend(changes, reason, who.subject, intervention, now, ctx.calendar.local_date(now))
        if changed:
            await uow.save(referral)
            await uow.commit()
    return changed


async def withdraw(ctx: Context, who: Practitioner, referral_id: uuid.UUID, reason_code: str,
                   comment: str | None) -> Referral:
    """Withdraw a referral at any stage, with a catalogue reason code."""
    async with ctx.uow() as uow:
        referral = await load_for_practitioner(uow, referral_id, who)
        referral.withdraw(reason_code, comment, who.subject, ctx.clock.now())
        await uow.save(referral)
        await uow.commit()
    return referral


async def redirect(ctx: Context, who: Practitioner, referral_id: uuid.UUID, intervention_id: uuid.UUID,
                   reason_code: str | None) -> Referral:
    """Withdraw a waitlisted referral and submit a new one, same content, to another intervention."""
    async with ctx.uow() as uow:
        old = await load_for_practitioner(uow, referral_id, who)
        new = Referral.draft({**old.content, "intervention_id": str(intervention_id)}, who, ctx.clock.now())
        new.redirected_from = old.id
        old.withdraw(reason_code or REDIRECTED, "redirected to another intervention", who.subject, ctx.clock.now(),
                     action=Action.REDIRECT, redirected_to=new.id)
        await uow.save(old)
        await uow.referrals.add(new)
        await _submit(ctx, uow, new)
        await uow.save(new)
        await uow.commit()
    return new


async def add_case_note(ctx: Context, uow: ReferralsUoW, referral: Referral, role: str, author_id: str,
                        subject: str, body: str) -> dict[str, Any]:
    """Write a case note on an open unit of work and queue its event."""
    if referral.state is State.DRAFT:
        raise Conflict("a draft has no one to exchange notes with", current_state=referral.state.value)
    note = {"id": uuid.uuid4(), "referral_id": referral.id, "author_role": role, "author_id": author_id,
            "subject": subject, "body": body, "created_at": ctx.clock.now()}
    await uow.queries.add_case_note(note)
    uow.emit(ReferralCaseNoteAdded(referral_id=referral.id, reference=referral.reference, case_note_id=note["id"],
                                   author_role=role), referral_id=referral.id)
    return note
