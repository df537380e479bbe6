"""Partner API for providers' own systems: the org claim of the token is the provider id."""
from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from referrals.adapters.referral_queries import Filters
from referrals.api import schemas as s
from referrals.api.deps import Ctx, CurrentProvider
from referrals.api.views import referral_out
from referrals.domain.states import Actor
from referrals.service import delivery, reading

router = APIRouter(prefix="/v1/partner/referrals", tags=["partner"])
ME = Actor.PROVIDER


@router.get("", response_model=s.ReferralPage)
async def list_referrals(
    ctx: Ctx, provider: CurrentProvider, state: str | None = None, reference: str | None = None,
    intervention_id: uuid.UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 25, cursor: str | None = None,
) -> s.ReferralPage:
    """Referrals sent to interventions where the provider is prime or subcontractor, newest first."""
    page = await reading.provider_page(ctx, provider, Filters(state, reference, None, intervention_id), limit, cursor)
    return s.ReferralPage(items=[s.ReferralSummary(**i) for i in page.items], next_cursor=page.next_cursor)


@router.get("/{referral_id}", response_model=s.ReferralOut)
async def get_referral(referral_id: uuid.UUID, ctx: Ctx, provider: CurrentProvider) -> s.ReferralOut:
    """Fetch a referral."""
    return referral_out(await reading.provider_referral(ctx, provider, referral_id), ME)


@router.post("/{referral_id}/accept", response_model=s.ReferralOut)
async def accept(referral_id: uuid.UUID, ctx: Ctx, provider: CurrentProvider) -> s.ReferralOut:
    """Accept the referral."""
    return referral_out(await delivery.accept(ctx, provider, referral_id), ME)


@router.post("/{referral_id}/decline", response_model=s.ReferralOut)
async def decline(referral_id: uuid.UUID, body: s.DeclineIn, ctx: Ctx, provider: CurrentProvider) -> s.ReferralOut:
    """Decline the referral, with a reason."""
    return referral_out(await delivery.decline(ctx, provider, referral_id, body.reason_code, body.comment), ME)


@router.put("/{referral_id}/caseworker", response_model=s.ReferralOut)
async def assign(referral_id: uuid.UUID, body: s.AssignIn, ctx: Ctx, provider: CurrentProvider) -> s.ReferralOut:
    """Assign or reassign a caseworker of this provider."""
    return referral_out(await delivery.assign(ctx, provider, referral_id, body.caseworker_id), ME)


@router.put("/{referral_id}/assessment", response_model=s.ReferralOut)
async def book_assessment(referral_id: uuid.UUID, body: s.AssessmentIn, ctx: Ctx,
                          provider: CurrentProvider) -> s.ReferralOut:
    """Book or reschedule the initial assessment."""
    return referral_out(await delivery.book_assessment(
        ctx, provider, referral_id, body.starts_at, body.duration_minutes, body.method), ME)


@router.post("/{referral_id}/assessment/attendance", response_model=s.ReferralOut)
async def record_assessment(referral_id: uuid.UUID, body: s.AttendanceIn, ctx: Ctx,
                            provider: CurrentProvider) -> s.ReferralOut:
    """Record attendance at the initial assessment, with feedback."""
    return referral_out(await delivery.record_assessment(
        ctx, provider, referral_id, body.attendance, body.feedback, body.concerns), ME)


@router.put("/{referral_id}/action-plan", response_model=s.ReferralOut)
async def submit_action_plan(referral_id: uuid.UUID, body: s.ActionPlanIn, ctx: Ctx,
                             provider: CurrentProvider) -> s.ReferralOut:
    """Submit (or revise) the action plan."""
    return referral_out(await delivery.submit_action_plan(
        ctx, provider, referral_id, body.activities, body.number_of_sessions), ME)


@router.post("/{referral_id}/sessions", status_code=status.HTTP_201_CREATED, response_model=s.ReferralOut)
async def record_session(referral_id: uuid.UUID, body: s.SessionIn, ctx: Ctx,
                         provider: CurrentProvider) -> s.ReferralOut:
    """Record the next session: attendance, feedback, concerns."""
    return referral_out(await delivery.record_session(
        ctx, provider, referral_id, body.attendance, body.held_at, body.feedback, body.concerns), ME)


@router.post("/{referral_id}/end-of-service-report", response_model=s.ReferralOut)
async def submit_end_of_service_report(referral_id: uuid.UUID, body: s.EndOfServiceReportIn, ctx: Ctx,
                                       provider: CurrentProvider) -> s.ReferralOut:
    """Report achievement per desired outcome; the referral concludes as completed, ended early or cancelled."""
    outcomes = {code: report.model_dump() for code, report in body.outcomes.items()}
    return referral_out(await delivery.submit_end_of_service_report(ctx, provider, referral_id, outcomes), ME)


@router.get("/{referral_id}/transitions", response_model=list[s.TransitionOut])
async def transitions(referral_id: uuid.UUID, ctx: Ctx, provider: CurrentProvider) -> list[s.TransitionOut]:
    """The transition log."""
    rows = await reading.history(ctx, referral_id, provider_id=provider, kind="transitions")
    return [s.TransitionOut(**r) for r in rows]


@router.get("/{referral_id}/case-notes", response_model=list[s.CaseNoteOut])
async def case_notes(referral_id: uuid.UUID, ctx: Ctx, provider: CurrentProvider) -> list[s.CaseNoteOut]:
    """Case notes exchanged with the practitioner."""
    rows = await reading.history(ctx, referral_id, provider_id=provider, kind="case_notes")
    return [s.CaseNoteOut(**r) for r in rows]


@router.post("/{referral_id}/case-notes", status_code=status.HTTP_201_CREATED, response_model=s.CaseNoteOut)
async def add_case_note(referral_id: uuid.UUID, body: s.CaseNoteIn, ctx: Ctx,
                        provider: CurrentProvider) -> s.CaseNoteOut:
    """Write a case note to the practitioner."""
    note = await reading.write_case_note(ctx, referral_id, body.subject, body.body, provider_id=provider)
    return s.CaseNoteOut(**note)
