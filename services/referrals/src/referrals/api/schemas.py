"""Request and response bodies of the referrals API."""
from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

Complexity = Literal["LOW", "MEDIUM", "HIGH"]
Attendance = Literal["attended", "late", "did_not_attend"]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PersonIn(_In):
    crn: str | None = Field(None, pattern=r"^[A-Z][0-9]{6}$", examples=["X123456"])
    first_name: str | None = Field(None, max_length=100)
    last_name: str | None = Field(None, max_length=100)
    date_of_birth: date | None = None
    sex: Literal["male", "female"] | None = None
    # Equality monitoring data: optional, never required to refer.
    ethnicity: str | None = Field(None, max_length=100)
    religion_or_belief: str | None = Field(None, max_length=100)
    disabilities: list[str] | None = None
    sexual_orientation: str | None = Field(None, max_length=100)
    gender_identity: str | None = Field(None, max_length=100)
    preferred_language: str | None = Field(None, max_length=50)
    needs_interpreter: bool | None = None
    accessibility_needs: str | None = Field(None, max_length=2000)


class CategoryIn(_In):
    code: str = Field(max_length=50)
    complexity: Complexity


class LocationIn(_In):
    kind: Literal["community", "custody"]
    prison_code: str | None = Field(None, max_length=20)
    expected_release_date: date | None = None


class ContactIn(_In):
    name: str | None = Field(None, max_length=200)
    email: str | None = Field(None, max_length=320)
    phone: str | None = Field(None, max_length=40)


class ReferralContent(_In):
    """A referral's content; every field may be missing in a draft, and is checked at submit."""

    intervention_id: uuid.UUID | None = None
    person: PersonIn | None = None
    pcc_area_code: str | None = Field(None, max_length=60, description="the PCC area where the person lives")
    categories: list[CategoryIn] = Field(default_factory=list, max_length=10)
    desired_outcomes: list[str] = Field(default_factory=list, max_length=30)
    reason_for_referral: str | None = Field(None, max_length=5000)
    risk_information: str | None = Field(None, max_length=5000)
    completion_deadline: date | None = None
    location: LocationIn | None = None
    practitioner_contact: ContactIn | None = None

    def document(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)


class AmendChanges(_In):
    completion_deadline: date | None = None
    categories: list[CategoryIn] | None = None
    desired_outcomes: list[str] | None = None
    accessibility_needs: str | None = None
    needs_interpreter: bool | None = None
    preferred_language: str | None = None
    practitioner_contact: ContactIn | None = None

    def paths(self) -> dict[str, Any]:
        values = self.model_dump(mode="json", exclude_unset=True)
        person = {"accessibility_needs", "needs_interpreter", "preferred_language"}
        return {(f"person.{k}" if k in person else k): v for k, v in values.items()}


class AmendIn(_In):
    reason: str = Field(min_length=1, max_length=2000)
    changes: AmendChanges


class WithdrawIn(_In):
    reason_code: str = Field(max_length=10)
    comment: str | None = Field(None, max_length=2000)


class RedirectIn(_In):
    intervention_id: uuid.UUID
    reason_code: str | None = Field(None, max_length=10)


class CaseNoteIn(_In):
    subject: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=10000)


class DeclineIn(_In):
    reason_code: str = Field(min_length=1, max_length=40)
    comment: str | None = Field(None, max_length=2000)


class AssignIn(_In):
    caseworker_id: uuid.UUID


class AssessmentIn(_In):
    starts_at: AwareDatetime
    duration_minutes: int = Field(gt=0, le=480)
    method: Literal["in_person", "phone", "video"]


class AttendanceIn(_In):
    attendance: Attendance
    feedback: str | None = Field(None, max_length=5000)
    concerns: str | None = Field(None, max_length=5000)


class ActionPlanIn(_In):
    activities: list[str] = Field(min_length=1, max_length=50)
    number_of_sessions: int = Field(ge=1, le=100)


class SessionIn(AttendanceIn):
    held_at: AwareDatetime


class OutcomeReport(_In):
    achievement: Literal["achieved", "partially_achieved", "not_achieved"]
    comments: str | None = Field(None, max_length=5000)


class EndOfServiceReportIn(_In):
    outcomes: dict[str, OutcomeReport]


class DeadlineOut(BaseModel):
    sla: str
    due_date: date
    due_at: datetime
    resolved_at: datetime | None
    resolution: str | None
    breached_at: datetime | None


class ReferralOut(BaseModel):
    id: uuid.UUID
    reference: str | None
    state: str
    allowed_actions: list[str]
    intervention_id: uuid.UUID | None
    intervention_version: int | None
    contract_reference: str | None
    content: dict[str, Any]
    caseworker_id: uuid.UUID | None
    assessment: dict[str, Any] | None
    action_plan: dict[str, Any] | None
    sessions: list[dict[str, Any]]
    end_of_service_report: dict[str, Any] | None
    withdrawal: dict[str, Any] | None
    redirected_from: uuid.UUID | None
    deadlines: list[DeadlineOut]
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    sent_at: datetime | None
    concluded_at: datetime | None


class ReferralSummary(BaseModel):
    id: uuid.UUID
    reference: str | None
    state: str
    crn: str | None
    intervention_id: uuid.UUID | None
    intervention_version: int | None
    caseworker_id: uuid.UUID | None
    created_at: datetime
    submitted_at: datetime | None
    sent_at: datetime | None
    concluded_at: datetime | None


class ReferralPage(BaseModel):
    items: list[ReferralSummary]
    next_cursor: str | None


class TransitionOut(BaseModel):
    action: str
    from_state: str
    to_state: str
    actor: str
    actor_id: str
    at: datetime
    detail: dict[str, Any]


class AmendmentOut(BaseModel):
    field: str
    old_value: Any
    new_value: Any
    reason: str
    actor_id: str
    at: datetime


class CaseNoteOut(BaseModel):
    id: uuid.UUID
    author_role: str
    author_id: str
    subject: str
    body: str
    created_at: datetime
