"""Every (state, action) pair of the state machine: legal ones pass, illegal ones are 409 with next steps."""
from __future__ import annotations

import itertools

import pytest

from crs_shared.errors import Conflict, Forbidden
from referrals.domain.states import TERMINAL, TRANSITIONS, Action, Actor, State, allowed_actions, check

LEGAL = {
    Action.SUBMIT: {"draft"},
    Action.COUNT: {"submitted", "waitlisted"},
    Action.WAITLIST: {"submitted"},
    Action.ACCEPT: {"sent"},
    Action.DECLINE: {"sent"},
    Action.ASSIGN: {"accepted", "assigned", "assessment_booked", "assessment_attended", "action_plan_submitted",
                    "in_delivery"},
    Action.BOOK_ASSESSMENT: {"assigned", "assessment_booked"},
    Action.RECORD_ASSESSMENT: {"assessment_booked"},
    Action.SUBMIT_ACTION_PLAN: {"assessment_attended", "action_plan_submitted"},
    Action.RECORD_SESSION: {"action_plan_submitted", "in_delivery"},
    Action.SUBMIT_END_OF_SERVICE_REPORT: {"assessment_attended", "action_plan_submitted", "in_delivery"},
    Action.AMEND: {"submitted", "waitlisted", "sent", "accepted", "assigned", "assessment_booked",
                   "assessment_attended", "action_plan_submitted", "in_delivery"},
    Action.WITHDRAW: {"submitted", "waitlisted", "sent", "accepted", "assigned", "assessment_booked",
                      "assessment_attended", "action_plan_submitted", "in_delivery"},
    Action.REDIRECT: {"waitlisted"},
}


@pytest.mark.parametrize(("state", "action"), list(itertools.product(State, Action)))
def test_each_pair_is_legal_exactly_when_the_table_says(state: State, action: Action) -> None:
    actor = TRANSITIONS[action].actor
    if state.value in LEGAL[action]:
        assert check(state, action, actor).action is action
    else:
        with pytest.raises(Conflict) as raised:
            check(state, action, actor)
        assert raised.value.status == 409
        assert raised.value.extra["current_state"] == state.value
        assert raised.value.extra["allowed_actions"] == allowed_actions(state, actor)


@pytest.mark.parametrize("action", list(Action))
def test_only_the_named_actor_may_act(action: Action) -> None:
    source = next(iter(TRANSITIONS[action].sources))
    for actor in Actor:
        if actor is not TRANSITIONS[action].actor:
            with pytest.raises(Forbidden):
                check(source, action, actor)


def test_terminal_states_allow_nothing() -> None:
    for state in TERMINAL:
        assert allowed_actions(state) == []


def test_next_steps_of_a_sent_referral_per_actor() -> None:
    assert allowed_actions(State.SENT, Actor.PROVIDER) == ["accept", "decline"]
    assert allowed_actions(State.SENT, Actor.PRACTITIONER) == ["amend", "withdraw"]
