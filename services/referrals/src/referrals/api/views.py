"""Maps aggregates to response bodies."""
from __future__ import annotations

from referrals.api.schemas import DeadlineOut, ReferralOut
from referrals.domain.referral import Referral
from referrals.domain.states import Actor, allowed_actions


def referral_out(r: Referral, actor: Actor) -> ReferralOut:
    return ReferralOut(
        id=r.id, reference=r.reference, state=r.state.value, allowed_actions=allowed_actions(r.state, actor),
        intervention_id=r.intervention_id or r.details.intervention_id, intervention_version=r.intervention_version,
        contract_reference=r.contract_reference, content=r.content, caseworker_id=r.caseworker_id,
        assessment=r.assessment, action_plan=r.action_plan, sessions=r.sessions,
        end_of_service_report=r.end_of_service_report, withdrawal=r.withdrawal, redirected_from=r.redirected_from,
        deadlines=[DeadlineOut(sla=d.sla.value, due_date=d.due_date, due_at=d.due_at, resolved_at=d.resolved_at,
                               resolution=d.resolution, breached_at=d.breached_at)
                   for d in sorted(r.deadlines.values(), key=lambda d: d.due_at)],
        created_at=r.created_at, updated_at=r.updated_at, submitted_at=r.submitted_at, sent_at=r.sent_at,
        concluded_at=r.concluded_at,
    )
