"""The referral lifecycle as an explicit state machine: states, actions and who may act."""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from crs_shared.errors import Conflict, Forbidden


class State(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    WAITLISTED = "waitlisted"
    SENT = "sent"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    ASSIGNED = "assigned"
    ASSESSMENT_BOOKED = "assessment_booked"
    ASSESSMENT_ATTENDED = "assessment_attended"  # delivery started
    ACTION_PLAN_SUBMITTED = "action_plan_submitted"
    IN_DELIVERY = "in_delivery"
    COMPLETED = "completed"
    ENDED_EARLY = "ended_early"
    CANCELLED = "cancelled"
    WITHDRAWN = "withdrawn"


class Actor(StrEnum):
    PRACTITIONER = "practitioner"
    PROVIDER = "provider"
    SYSTEM = "system"  # capacity decisions from the contracts service


class Action(StrEnum):
    SUBMIT = "submit"
    COUNT = "count"
    WAITLIST = "waitlist"
    ACCEPT = "accept"
    DECLINE = "decline"
    ASSIGN = "assign"
    BOOK_ASSESSMENT = "book_assessment"
    RECORD_ASSESSMENT = "record_assessment"
    SUBMIT_ACTION_PLAN = "submit_action_plan"
    RECORD_SESSION = "record_session"
    SUBMIT_END_OF_SERVICE_REPORT = "submit_end_of_service_report"
    AMEND = "amend"
    WITHDRAW = "withdraw"
    REDIRECT = "redirect"


TERMINAL = frozenset({State.DECLINED, State.COMPLETED, State.ENDED_EARLY, State.CANCELLED, State.WITHDRAWN})
DELIVERY_STARTED = frozenset({State.ASSESSMENT_ATTENDED, State.ACTION_PLAN_SUBMITTED, State.IN_DELIVERY})
ACTIVE = frozenset(State) - TERMINAL - {State.DRAFT}
WITH_CASEWORKER = frozenset({State.ASSIGNED, State.ASSESSMENT_BOOKED}) | DELIVERY_STARTED


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[State]
    targets: frozenset[State]  # the aggregate picks one (e.g. the outcome of a report)
    actor: Actor


def _t(action: Action, sources: set[State] | frozenset[State], targets: set[State], actor: Actor) -> Transition:
    return Transition(action, frozenset(sources), frozenset(targets), actor)


S = State
TRANSITIONS: dict[Action, Transition] = {t.action: t for t in (
    _t(Action.SUBMIT, {S.DRAFT}, {S.SUBMITTED}, Actor.PRACTITIONER),
    _t(Action.COUNT, {S.SUBMITTED, S.WAITLISTED}, {S.SENT}, Actor.SYSTEM),
    _t(Action.WAITLIST, {S.SUBMITTED}, {S.WAITLISTED}, Actor.SYSTEM),
    _t(Action.ACCEPT, {S.SENT}, {S.ACCEPTED}, Actor.PROVIDER),
    _t(Action.DECLINE, {S.SENT}, {S.DECLINED}, Actor.PROVIDER),
    # Reassigning keeps the state; the first assignment moves an accepted referral on.
    _t(Action.ASSIGN, {S.ACCEPTED} | WITH_CASEWORKER, {S.ASSIGNED} | WITH_CASEWORKER, Actor.PROVIDER),
    _t(Action.BOOK_ASSESSMENT, {S.ASSIGNED, S.ASSESSMENT_BOOKED}, {S.ASSESSMENT_BOOKED}, Actor.PROVIDER),
    # Did not attend keeps it booked, to be rebooked; attended or late starts delivery.
    _t(Action.RECORD_ASSESSMENT, {S.ASSESSMENT_BOOKED}, {S.ASSESSMENT_BOOKED, S.ASSESSMENT_ATTENDED}, Actor.PROVIDER),
    _t(Action.SUBMIT_ACTION_PLAN, {S.ASSESSMENT_ATTENDED, S.ACTION_PLAN_SUBMITTED}, {S.ACTION_PLAN_SUBMITTED},
       Actor.PROVIDER),
    _t(Action.RECORD_SESSION, {S.ACTION_PLAN_SUBMITTED, S.IN_DELIVERY}, {S.IN_DELIVERY}, Actor.PROVIDER),
    _t(Action.SUBMIT_END_OF_SERVICE_REPORT, DELIVERY_STARTED, {S.COMPLETED, S.ENDED_EARLY, S.CANCELLED},
       Actor.PROVIDER),
    _t(Action.AMEND, ACTIVE, ACTIVE, Actor.PRACTITIONER),
    _t(Action.WITHDRAW, ACTIVE, {S.WITHDRAWN}, Actor.PRACTITIONER),
    _t(Action.REDIRECT, {S.WAITLISTED}, {S.WITHDRAWN}, Actor.PRACTITIONER),
)}


def allowed_actions(state: State, actor: Actor | None = None) -> list[str]:
    """The next steps from `state` (for one actor, or for anyone)."""
    return [
        t.action.value for t in TRANSITIONS.values()
        if state in t.sources and (actor is None or t.actor == actor)
    ]


def check(state: State, action: Action, actor: Actor) -> Transition:
    """The transition, if `actor` may take `action` from `state`; else 403 or 409."""
    transition = TRANSITIONS[action]
    if transition.actor != actor:
        raise Forbidden(f"a {actor.value} may not {action.value} a referral")
    if state not in transition.sources:
        raise Conflict(
            f"cannot {action.value} a referral that is {state.value}",
            current_state=state.value,
            allowed_actions=allowed_actions(state, actor),
        )
    return transition
