"""The referral aggregate: its state, the transitions it allows and the events they record."""
from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from crs_shared.errors import Conflict, FieldErrors, Forbidden
from referrals.domain import intake
from referrals.domain.calendar import WorkingCalendar
from referrals.domain.catalogue import InterventionVersion
from referrals.domain.delivery import DeliveryMixin
from referrals.domain.details import Details
from referrals.domain.events import DomainEvent
from referrals.domain.sla import Deadline, Sla
from referrals.domain.states import DELIVERY_STARTED, Action, Actor, State, check
from referrals.domain.withdrawal import WITHDRAWAL_REASONS

# What a practitioner may amend after submit (dotted paths in the content document).
AMENDABLE = (
    "completion_deadline", "categories", "desired_outcomes", "person.accessibility_needs",
    "person.needs_interpreter", "person.preferred_language", "practitioner_contact",
)


@dataclass(frozen=True)
class Practitioner:
    subject: str
    email: str | None = None
    team_code: str | None = None
    region_code: str | None = None


@dataclass(frozen=True)
class TransitionRecord:
    action: str
    from_state: str
    to_state: str
    actor: str
    actor_id: str
    at: datetime
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Amendment:
    field: str
    old: Any
    new: Any
    reason: str
    actor_id: str
    at: datetime


@dataclass
class Referral(DeliveryMixin):
    id: uuid.UUID
    state: State
    content: dict[str, Any]
    practitioner: Practitioner
    created_at: datetime
    updated_at: datetime
    reference: str | None = None
    intervention_id: uuid.UUID | None = None
    intervention_version: int | None = None
    contract_type: str | None = None
    contract_reference: str | None = None
    region_code: str | None = None
    prime_provider_id: uuid.UUID | None = None
    subcontractor_provider_ids: tuple[uuid.UUID, ...] = ()
    contract_id: uuid.UUID | None = None
    submitted_at: datetime | None = None
    sent_at: datetime | None = None
    concluded_at: datetime | None = None
    caseworker_id: uuid.UUID | None = None
    assessment: dict[str, Any] | None = None
    action_plan: dict[str, Any] | None = None
    sessions: list[dict[str, Any]] = field(default_factory=list)
    end_of_service_report: dict[str, Any] | None = None
    withdrawal: dict[str, Any] | None = None
    redirected_from: uuid.UUID | None = None
    deadlines: dict[Sla, Deadline] = field(default_factory=dict)
    version: int = 0
    events: list[DomainEvent] = field(default_factory=list)
    transitions: list[TransitionRecord] = field(default_factory=list)
    amendments: list[Amendment] = field(default_factory=list)

    @classmethod
    def draft(cls, content: dict[str, Any], practitioner: Practitioner, now: datetime,
              referral_id: uuid.UUID | None = None) -> Referral:
        return cls(referral_id or uuid.uuid4(), State.DRAFT, content, practitioner, now, now)

    @property
    def details(self) -> Details:
        return Details(self.content)

    @property
    def provider_ids(self) -> tuple[uuid.UUID, ...]:
        return (self.prime_provider_id, *self.subcontractor_provider_ids) if self.prime_provider_id else ()

    @property
    def delivery_started(self) -> bool:
        return self.state in DELIVERY_STARTED or bool(self.assessment and self.assessment.get("started"))

    def can(self, action: Action, actor: Actor) -> bool:
        try:
            check(self.state, action, actor)
        except (Conflict, Forbidden):
            return False
        return True

    # -- practitioner ---------------------------------------------------------------------------

    def update_draft(self, content: dict[str, Any], now: datetime) -> None:
        if self.state is not State.DRAFT:
            raise Conflict("only a draft can be edited; amend a submitted referral instead",
                           current_state=self.state.value, allowed_actions=["amend", "withdraw"])
        self.content = content
        self.updated_at = now

    def submit(self, intervention: InterventionVersion | None, now: datetime, today: date) -> None:
        check(self.state, Action.SUBMIT, Actor.PRACTITIONER)
        errors = FieldErrors()
        intake.check_complete(self.details, errors)
        if intervention is None and self.details.intervention_id is not None:
            errors.add("intervention_id", "unknown_intervention", "no such intervention in the catalogue")
        if intervention is not None:
            intake.check_eligibility(self.details, intervention, today, errors)
        errors.raise_if_any()
        assert intervention is not None
        self.intervention_id = intervention.intervention_id
        self.intervention_version = intervention.version
        self.contract_type = intervention.contract_type
        self.contract_reference = intervention.contract_reference
        self.region_code = intervention.region_code
        self.prime_provider_id = intervention.prime_provider_id
        self.subcontractor_provider_ids = intervention.subcontractor_provider_ids
        self.submitted_at = now
        self._move(Action.SUBMIT, State.SUBMITTED, Actor.PRACTITIONER, self.practitioner.subject, now)
        self._record("referral.submitted", intervention_id=intervention.intervention_id,
                     intervention_version=intervention.version, contract_reference=intervention.contract_reference,
                     contract_type=intervention.contract_type, prime_provider_id=intervention.prime_provider_id,
                     subcontractor_provider_ids=list(intervention.subcontractor_provider_ids),
                     pcc_area_code=self.details.pcc_area_code, region_code=intervention.region_code,
                     complexity=self.details.complexity, practitioner_id=self.practitioner.subject,
                     practitioner_email=self.practitioner.email, team_code=self.practitioner.team_code,
                     submitted_at=now, redirected_from_referral_id=self.redirected_from)

    def amend(self, changes: dict[str, Any], reason: str, actor_id: str, intervention: InterventionVersion | None,
              now: datetime, today: date) -> list[str]:
        check(self.state, Action.AMEND, Actor.PRACTITIONER)
        errors = FieldErrors()
        if not reason or not reason.strip():
            errors.add("reason", "required", "an amendment needs a reason")
        unknown = [k for k in changes if k not in AMENDABLE]
        for name in unknown:
            errors.add(name, "not_amendable", "this field cannot be amended")
        errors.raise_if_any()
        content = copy.deepcopy(self.content)
        changed = [name for name in AMENDABLE if name in changes and _get(content, name) != changes[name]]
        for name in changed:
            _set(content, name, changes[name])
        details = Details(content)
        if intervention is not None:
            intake.check_choices(details, intervention, errors)
        if details.completion_deadline is not None and details.completion_deadline <= today:
            errors.add("completion_deadline", "deadline_not_in_future", "the completion deadline must be in the future")
        errors.raise_if_any()
        if not changed:
            return []
        for name in changed:
            self.amendments.append(Amendment(name, _get(self.content, name), changes[name], reason, actor_id, now))
        self.content = content
        self.updated_at = now
        self._record("referral.amended", changed_fields=changed, reason=None,
                     complexity=details.complexity if "categories" in changed else None)
        return changed

    def withdraw(self, reason_code: str, comment: str | None, actor_id: str, now: datetime,
                 action: Action = Action.WITHDRAW, redirected_to: uuid.UUID | None = None) -> None:
        check(self.state, action, Actor.PRACTITIONER)
        if reason_code not in WITHDRAWAL_REASONS:
            errors = FieldErrors()
            errors.add("reason_code", "unknown_reason_code", f"one of {', '.join(WITHDRAWAL_REASONS)}")
            errors.raise_if_any()
        previous, started = self.state, self.delivery_started
        self.withdrawal = {"reason_code": reason_code, "comment": comment, "previous_state": previous.value,
                           "delivery_started": started, "redirected_to": str(redirected_to) if redirected_to else None}
        self.concluded_at = now
        self._close_deadlines(now)
        self._move(action, State.WITHDRAWN, Actor.PRACTITIONER, actor_id, now, reason_code=reason_code)
        self._record("referral.withdrawn", reason_code=reason_code, previous_state=previous.value,
                     delivery_started=started, redirected_to_referral_id=redirected_to)

    # -- capacity (decided by the contracts service) ---------------------------------------------

    def count(self, contract_id: uuid.UUID, now: datetime, calendar: WorkingCalendar) -> None:
        check(self.state, Action.COUNT, Actor.SYSTEM)
        self.contract_id = contract_id
        self.sent_at = now
        deadline = self._open_deadline(Sla.PROVIDER_RESPONSE, now, calendar)
        self._move(Action.COUNT, State.SENT, Actor.SYSTEM, "contracts", now)
        self._record("referral.sent", prime_provider_id=self.prime_provider_id, contract_id=contract_id,
                     response_due_at=deadline.due_at)

    def waitlist(self, contract_id: uuid.UUID, position: int, now: datetime) -> None:
        check(self.state, Action.WAITLIST, Actor.SYSTEM)
        self.contract_id = contract_id
        self._move(Action.WAITLIST, State.WAITLISTED, Actor.SYSTEM, "contracts", now, position=position)
        self._record("referral.waitlisted", contract_id=contract_id)

    # -- bookkeeping ----------------------------------------------------------------------------

    def _move(self, action: Action, to: State, actor: Actor, actor_id: str, now: datetime, **detail: Any) -> None:
        self.transitions.append(TransitionRecord(action.value, self.state.value, to.value, actor.value, actor_id,
                                                 now, detail))
        self.state = to
        self.updated_at = now

    def _record(self, name: str, **data: Any) -> None:
        self.events.append(DomainEvent(name, data))

    def _open_deadline(self, sla: Sla, started: datetime, calendar: WorkingCalendar) -> Deadline:
        # Each service level runs once per referral: a second start keeps the first deadline.
        if sla not in self.deadlines:
            self.deadlines[sla] = Deadline.starting(sla, started, calendar)
        return self.deadlines[sla]

    def _meet_deadline(self, sla: Sla, now: datetime) -> None:
        deadline = self.deadlines.get(sla)
        if deadline is not None and deadline.open:
            deadline.resolved_at, deadline.resolution = now, "met"

    def _close_deadlines(self, now: datetime) -> None:
        for deadline in self.deadlines.values():
            if deadline.open:
                deadline.resolved_at, deadline.resolution = now, "closed"


def _get(doc: dict[str, Any], path: str) -> Any:
    for part in path.split("."):
        doc = (doc or {}).get(part)
    return doc


def _set(doc: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for part in parents:
        doc = doc.setdefault(part, {})
    doc[last] = value
