"""Practitioner API: drafts, submit, amend, withdraw, redirect, case notes, search."""
from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Query, Response, status

from referrals.adapters.referral_queries import Filters
from referrals.api import schemas as s
from referrals.api.deps import Ctx, CurrentPractitioner
from referrals.api.views import referral_out
from referrals.domain.states import Actor
from referrals.service import intake, reading

router = APIRouter(prefix="/v1/referrals", tags=["practitioner"])
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]
ME = Actor.PRACTITIONER


@router.post("", status_code=status.HTTP_201_CREATED, response_model=s.ReferralOut)
async def create_draft(body: s.ReferralContent, ctx: Ctx, who: CurrentPractitioner) -> s.ReferralOut:
    """Start a draft referral."""
    return referral_out(await intake.create_draft(ctx, who, body.document()), ME)


@router.post("/submit", status_code=status.HTTP_201_CREATED, response_model=s.ReferralOut)
async def submit_new(body: s.ReferralContent, ctx: Ctx, who: CurrentPractitioner, response: Response,
                     key: Annotated[str, Header(alias="Idempotency-Key", min_length=1, max_length=200)]
                     ) -> s.ReferralOut:
    """Create and submit a referral in one call; retries with the same Idempotency-Key return the same referral."""
    result = await intake.submit_new(ctx, who, body.document(), key)
    response.headers["Idempotent-Replayed"] = str(result.replayed).lower()
    return referral_out(result.referral, ME)


@router.get("", response_model=s.ReferralPage)
async def list_referrals(
    ctx: Ctx, who: CurrentPractitioner, state: str | None = None, reference: str | None = None,
    crn: str | None = None, intervention_id: uuid.UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 25, cursor: str | None = None,
) -> s.ReferralPage:
    """Search own and team referrals, newest first (keyset pagination: pass next_cursor back)."""
    page = await reading.practitioner_page(ctx, who, Filters(state, reference, crn, intervention_id), limit, cursor)
    return s.ReferralPage(items=[s.ReferralSummary(**i) for i in page.items], next_cursor=page.next_cursor)


@router.get("/{referral_id}", response_model=s.ReferralOut)
async def get_referral(referral_id: uuid.UUID, ctx: Ctx, who: CurrentPractitioner) -> s.ReferralOut:
    """Fetch a referral."""
    return referral_out(await reading.practitioner_referral(ctx, who, referral_id), ME)


@router.put("/{referral_id}", response_model=s.ReferralOut)
async def update_draft(referral_id: uuid.UUID, body: s.ReferralContent, ctx: Ctx,
                       who: CurrentPractitioner) -> s.ReferralOut:
    """Replace the content of a draft."""
    return referral_out(await intake.update_draft(ctx, who, referral_id, body.document()), ME)


@router.post("/{referral_id}/submit", response_model=s.ReferralOut)
async def submit_draft(referral_id: uuid.UUID, ctx: Ctx, who: CurrentPractitioner, response: Response,
                       key: IdempotencyKey = None) -> s.ReferralOut:
    """Submit a draft: intake checks against the catalogue, then a reference number."""
    result = await intake.submit_draft(ctx, who, referral_id, key)
    response.headers["Idempotent-Replayed"] = str(result.replayed).lower()
    return referral_out(result.referral, ME)


@router.post("/{referral_id}/amendments", response_model=s.ReferralOut)
async def amend(referral_id: uuid.UUID, body: s.AmendIn, ctx: Ctx, who: CurrentPractitioner) -> s.ReferralOut:
    """Amend a submitted referral, with a reason; old and new values are logged."""
    await intake.amend(ctx, who, referral_id, body.changes.paths(), body.reason)
    return referral_out(await reading.practitioner_referral(ctx, who, referral_id), ME)


@router.get("/{referral_id}/amendments", response_model=list[s.AmendmentOut])
async def amendments(referral_id: uuid.UUID, ctx: Ctx, who: CurrentPractitioner) -> list[s.AmendmentOut]:
    """The change log: field, old and new values, reason, who and when."""
    rows = await reading.history(ctx, referral_id, who=who, kind="amendments")
    return [s.AmendmentOut(**r) for r in rows]


@router.post("/{referral_id}/withdraw", response_model=s.ReferralOut)
async def withdraw(referral_id: uuid.UUID, body: s.WithdrawIn, ctx: Ctx, who: CurrentPractitioner) -> s.ReferralOut:
    """Withdraw the referral at any stage, with a withdrawal reason code."""
    return referral_out(await intake.withdraw(ctx, who, referral_id, body.reason_code, body.comment), ME)


@router.post("/{referral_id}/redirect", status_code=status.HTTP_201_CREATED, response_model=s.ReferralOut)
async def redirect(referral_id: uuid.UUID, body: s.RedirectIn, ctx: Ctx, who: CurrentPractitioner) -> s.ReferralOut:
    """Withdraw a waitlisted referral and submit its content as a new referral to another intervention."""
    return referral_out(await intake.redirect(ctx, who, referral_id, body.intervention_id, body.reason_code), ME)


@router.get("/{referral_id}/transitions", response_model=list[s.TransitionOut])
async def transitions(referral_id: uuid.UUID, ctx: Ctx, who: CurrentPractitioner) -> list[s.TransitionOut]:
    """The transition log."""
    return [s.TransitionOut(**r) for r in await reading.history(ctx, referral_id, who=who, kind="transitions")]


@router.get("/{referral_id}/case-notes", response_model=list[s.CaseNoteOut])
async def case_notes(referral_id: uuid.UUID, ctx: Ctx, who: CurrentPractitioner) -> list[s.CaseNoteOut]:
    """Case notes exchanged with the provider."""
    return [s.CaseNoteOut(**r) for r in await reading.history(ctx, referral_id, who=who, kind="case_notes")]


@router.post("/{referral_id}/case-notes", status_code=status.HTTP_201_CREATED, response_model=s.CaseNoteOut)
async def add_case_note(referral_id: uuid.UUID, body: s.CaseNoteIn, ctx: Ctx,
                        who: CurrentPractitioner) -> s.CaseNoteOut:
    """Write a case note to the provider."""
    return s.CaseNoteOut(**await reading.write_case_note(ctx, referral_id, body.subject, body.body, who=who))
