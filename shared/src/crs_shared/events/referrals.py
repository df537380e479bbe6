"""Events of the referral lifecycle (producer: referrals service).

Ids and codes only: never the name, date of birth or other details of the person on
probation. Consumers that need details fetch them through the API they are entitled to.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from crs_shared.events import topics
from crs_shared.events.envelope import EventData, event

Complexity = Literal["LOW", "MEDIUM", "HIGH"]
Attendance = Literal["attended", "late", "did_not_attend"]


class ReferralEvent(EventData):
    topic = topics.REFERRALS

    referral_id: uuid.UUID
    reference: str | None = None  # the readable reference number, given at submit


@event
class ReferralSubmitted(ReferralEvent):
    event_type = "referral.submitted"
    summary = "A practitioner submitted a referral; the contracts service decides on capacity."

    intervention_id: uuid.UUID
    intervention_version: int
    contract_reference: str
    contract_type: str
    prime_provider_id: uuid.UUID
    subcontractor_provider_ids: list[uuid.UUID] = []
    pcc_area_code: str | None = None
    region_code: str
    complexity: dict[str, Complexity]  # service category code -> complexity level
    practitioner_id: str
    # The practitioner's work email, so they can be notified; staff contact data.
    practitioner_email: str | None = None
    team_code: str | None = None
    submitted_at: datetime
    # Set when a waitlisted referral was redirected to this intervention as a new referral.
    redirected_from_referral_id: uuid.UUID | None = None


@event
class ReferralSent(ReferralEvent):
    event_type = "referral.sent"
    summary = "The referral was counted against its contract and is now visible to the provider."

    prime_provider_id: uuid.UUID
    contract_id: uuid.UUID | None = None
    response_due_at: datetime | None = None


@event
class ReferralWaitlisted(ReferralEvent):
    event_type = "referral.waitlisted"
    summary = "The contract is at its cap; the referral waits for capacity."

    contract_id: uuid.UUID | None = None


@event
class ReferralAccepted(ReferralEvent):
    event_type = "referral.accepted"
    summary = "The provider accepted the referral."

    provider_id: uuid.UUID


@event
class ReferralDeclined(ReferralEvent):
    event_type = "referral.declined"
    summary = "The provider declined the referral, with a reason code."

    provider_id: uuid.UUID
    reason_code: str


@event
class ReferralAssigned(ReferralEvent):
    event_type = "referral.assigned"
    summary = "A caseworker of the provider was assigned (or reassigned)."

    provider_id: uuid.UUID
    caseworker_id: uuid.UUID
    previous_caseworker_id: uuid.UUID | None = None


@event
class ReferralAssessmentBooked(ReferralEvent):
    event_type = "referral.assessment_booked"
    summary = "The initial assessment was booked or rescheduled."

    appointment_id: uuid.UUID
    starts_at: datetime
    duration_minutes: int
    method: Literal["in_person", "phone", "video"]
    rescheduled: bool = False


@event
class ReferralAssessmentAttended(ReferralEvent):
    event_type = "referral.assessment_attended"
    summary = "Attendance at the initial assessment was recorded."

    appointment_id: uuid.UUID
    attendance: Attendance
    concerns_raised: bool = False


@event
class ReferralActionPlanSubmitted(ReferralEvent):
    event_type = "referral.action_plan_submitted"
    summary = "The provider submitted an action plan."

    action_plan_id: uuid.UUID
    number_of_sessions: int


@event
class ReferralSessionRecorded(ReferralEvent):
    event_type = "referral.session_recorded"
    summary = "A delivery session was recorded."

    session_number: int
    attendance: Attendance
    concerns_raised: bool = False


@event
class ReferralEndOfServiceReportSubmitted(ReferralEvent):
    event_type = "referral.end_of_service_report_submitted"
    summary = "The provider submitted the end-of-service report."

    outcomes: dict[str, Literal["achieved", "partially_achieved", "not_achieved"]]


@event
class ReferralAmended(ReferralEvent):
    event_type = "referral.amended"
    summary = "The practitioner amended a submitted referral; names of the changed fields only."

    changed_fields: list[str]
    reason: str | None = None
    complexity: dict[str, Complexity] | None = None


@event
class ReferralCaseNoteAdded(ReferralEvent):
    event_type = "referral.case_note_added"
    summary = "A case note was added by the practitioner or the provider."

    case_note_id: uuid.UUID
    author_role: Literal["practitioner", "provider"]


@event
class ReferralWithdrawn(ReferralEvent):
    event_type = "referral.withdrawn"
    summary = "The practitioner withdrew the referral, with a reason code."

    reason_code: str
    previous_state: str
    delivery_started: bool
    # Set when a waitlisted referral was withdrawn to be redirected to another intervention.
    redirected_to_referral_id: uuid.UUID | None = None


class _Concluded(ReferralEvent):
    concluded_at: datetime


@event
class ReferralCompleted(_Concluded):
    event_type = "referral.completed"
    summary = "The intervention was delivered and the referral completed."


@event
class ReferralEndedEarly(_Concluded):
    event_type = "referral.ended_early"
    summary = "Delivery started but the referral ended early."


@event
class ReferralCancelled(_Concluded):
    event_type = "referral.cancelled"
    summary = "The referral ended without any session attended."


@event
class ReferralSlaBreached(ReferralEvent):
    event_type = "referral.sla_breached"
    summary = "A service level deadline passed; emitted once per deadline."

    sla: Literal["provider_response", "initial_assessment", "action_plan", "end_of_service_report"]
    due_at: datetime
    due_date: date | None = None
