"""What the provider does with a sent referral, from accepting it to the end-of-service report."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from crs_shared.errors import Conflict, FieldErrors
from referrals.domain.calendar import WorkingCalendar
from referrals.domain.outcome import ATTENDED, decide_outcome
from referrals.domain.sla import Sla
from referrals.domain.states import Action, Actor, State, check
from referrals.domain.withdrawal import DECLINE_REASONS

if TYPE_CHECKING:
    from referrals.domain.referral import Referral

OUTCOME_EVENTS = {State.COMPLETED: "referral.completed", State.ENDED_EARLY: "referral.ended_early",
                  State.CANCELLED: "referral.cancelled"}
ACHIEVEMENTS = ("achieved", "partially_achieved", "not_achieved")


class DeliveryMixin:
    def accept(self: Referral, provider_id: uuid.UUID, now: datetime) -> None:
        check(self.state, Action.ACCEPT, Actor.PROVIDER)
        self._meet_deadline(Sla.PROVIDER_RESPONSE, now)
        self._move(Action.ACCEPT, State.ACCEPTED, Actor.PROVIDER, str(provider_id), now)
        self._record("referral.accepted", provider_id=provider_id)

    def decline(self: Referral, provider_id: uuid.UUID, reason_code: str, comment: str | None,
                now: datetime) -> None:
        check(self.state, Action.DECLINE, Actor.PROVIDER)
        if reason_code not in DECLINE_REASONS:
            errors = FieldErrors()
            errors.add("reason_code", "unknown_reason_code", f"one of {', '.join(DECLINE_REASONS)}")
            errors.raise_if_any()
        self._meet_deadline(Sla.PROVIDER_RESPONSE, now)
        self._close_deadlines(now)
        self.concluded_at = now
        self._move(Action.DECLINE, State.DECLINED, Actor.PROVIDER, str(provider_id), now,
                   reason_code=reason_code, comment=comment)
        self._record("referral.declined", provider_id=provider_id, reason_code=reason_code)

    def assign(self: Referral, provider_id: uuid.UUID, caseworker_id: uuid.UUID, now: datetime,
               calendar: WorkingCalendar) -> None:
        check(self.state, Action.ASSIGN, Actor.PROVIDER)
        if caseworker_id == self.caseworker_id:
            raise Conflict("the caseworker is already assigned", current_state=self.state.value)
        previous = self.caseworker_id
        self.caseworker_id = caseworker_id
        target = State.ASSIGNED if self.state is State.ACCEPTED else self.state
        self._open_deadline(Sla.INITIAL_ASSESSMENT, now, calendar)
        self._move(Action.ASSIGN, target, Actor.PROVIDER, str(provider_id), now, caseworker_id=str(caseworker_id))
        self._record("referral.assigned", provider_id=provider_id, caseworker_id=caseworker_id,
                     previous_caseworker_id=previous)

    def book_assessment(self: Referral, provider_id: uuid.UUID, starts_at: datetime, duration_minutes: int,
                        method: str, now: datetime) -> uuid.UUID:
        check(self.state, Action.BOOK_ASSESSMENT, Actor.PROVIDER)
        rescheduled = self.state is State.ASSESSMENT_BOOKED
        appointment_id = uuid.uuid4()
        history = list((self.assessment or {}).get("history", []))
        if self.assessment:
            history.append({k: v for k, v in self.assessment.items() if k != "history"})
        self.assessment = {"appointment_id": str(appointment_id), "starts_at": starts_at.isoformat(),
                           "duration_minutes": duration_minutes, "method": method, "attendance": None,
                           "history": history}
        self._move(Action.BOOK_ASSESSMENT, State.ASSESSMENT_BOOKED, Actor.PROVIDER, str(provider_id), now,
                   appointment_id=str(appointment_id))
        self._record("referral.assessment_booked", appointment_id=appointment_id, starts_at=starts_at,
                     duration_minutes=duration_minutes, method=method, rescheduled=rescheduled)
        return appointment_id

    def record_assessment(self: Referral, provider_id: uuid.UUID, attendance: str, feedback: str | None,
                          concerns: str | None, now: datetime, calendar: WorkingCalendar) -> None:
        check(self.state, Action.RECORD_ASSESSMENT, Actor.PROVIDER)
        assert self.assessment is not None
        self.assessment = {**self.assessment, "attendance": attendance, "feedback": feedback, "concerns": concerns,
                           "recorded_at": now.isoformat()}
        target = State.ASSESSMENT_ATTENDED if attendance in ATTENDED else State.ASSESSMENT_BOOKED
        if target is State.ASSESSMENT_ATTENDED:
            self.assessment["started"] = True
            self._meet_deadline(Sla.INITIAL_ASSESSMENT, now)
            held = datetime.fromisoformat(self.assessment["starts_at"])
            self._open_deadline(Sla.ACTION_PLAN, min(held, now), calendar)
        self._move(Action.RECORD_ASSESSMENT, target, Actor.PROVIDER, str(provider_id), now, attendance=attendance)
        self._record("referral.assessment_attended", appointment_id=uuid.UUID(self.assessment["appointment_id"]),
                     attendance=attendance, concerns_raised=bool(concerns))

    def submit_action_plan(self: Referral, provider_id: uuid.UUID, activities: list[str], number_of_sessions: int,
                           now: datetime) -> uuid.UUID:
        check(self.state, Action.SUBMIT_ACTION_PLAN, Actor.PROVIDER)
        if number_of_sessions < len(self.sessions):
            _invalid("number_of_sessions", "fewer_than_recorded", "fewer sessions than already recorded")
        plan_id = uuid.uuid4()
        self.action_plan = {"action_plan_id": str(plan_id), "activities": activities,
                            "number_of_sessions": number_of_sessions, "submitted_at": now.isoformat()}
        self._meet_deadline(Sla.ACTION_PLAN, now)
        self._move(Action.SUBMIT_ACTION_PLAN, State.ACTION_PLAN_SUBMITTED, Actor.PROVIDER, str(provider_id), now)
        self._record("referral.action_plan_submitted", action_plan_id=plan_id, number_of_sessions=number_of_sessions)
        return plan_id

    def record_session(self: Referral, provider_id: uuid.UUID, attendance: str, held_at: datetime,
                       feedback: str | None, concerns: str | None, now: datetime, calendar: WorkingCalendar) -> int:
        check(self.state, Action.RECORD_SESSION, Actor.PROVIDER)
        planned = self.action_plan["number_of_sessions"] if self.action_plan else 0
        if len(self.sessions) >= planned:
            raise Conflict("every planned session is already recorded", current_state=self.state.value,
                           allowed_actions=["submit_end_of_service_report"])
        number = len(self.sessions) + 1
        self.sessions.append({"session_number": number, "attendance": attendance, "held_at": held_at.isoformat(),
                              "feedback": feedback, "concerns": concerns})
        if number == planned:
            self._open_deadline(Sla.END_OF_SERVICE_REPORT, min(held_at, now), calendar)
        self._move(Action.RECORD_SESSION, State.IN_DELIVERY, Actor.PROVIDER, str(provider_id), now,
                   session_number=number)
        self._record("referral.session_recorded", session_number=number, attendance=attendance,
                     concerns_raised=bool(concerns))
        return number

    def submit_end_of_service_report(self: Referral, provider_id: uuid.UUID, outcomes: dict[str, dict[str, Any]],
                                     now: datetime) -> State:
        """Report the achievement per desired outcome; the referral concludes by the outcome rules."""
        check(self.state, Action.SUBMIT_END_OF_SERVICE_REPORT, Actor.PROVIDER)
        errors = FieldErrors()
        wanted = set(self.details.desired_outcomes)
        for code, report in outcomes.items():
            if code not in wanted:
                errors.add(f"outcomes.{code}", "unknown_outcome", "not a desired outcome of this referral")
            elif report.get("achievement") not in ACHIEVEMENTS:
                errors.add(f"outcomes.{code}.achievement", "invalid_achievement", ", ".join(ACHIEVEMENTS))
        for code in sorted(wanted - set(outcomes)):
            errors.add(f"outcomes.{code}", "required", "every desired outcome needs an achievement level")
        errors.raise_if_any()
        planned = self.action_plan["number_of_sessions"] if self.action_plan else None
        outcome = decide_outcome(planned, [s["attendance"] for s in self.sessions])
        self.end_of_service_report = {"outcomes": outcomes, "submitted_at": now.isoformat()}
        self._meet_deadline(Sla.END_OF_SERVICE_REPORT, now)
        self._close_deadlines(now)
        self.concluded_at = now
        self._move(Action.SUBMIT_END_OF_SERVICE_REPORT, outcome, Actor.PROVIDER, str(provider_id), now)
        self._record("referral.end_of_service_report_submitted",
                     outcomes={code: r["achievement"] for code, r in outcomes.items()})
        self._record(OUTCOME_EVENTS[outcome], concluded_at=now)
        return outcome


def _invalid(field: str, code: str, message: str) -> None:
    errors = FieldErrors()
    errors.add(field, code, message)
    errors.raise_if_any()
