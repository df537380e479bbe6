"""How a delivered referral concludes, decided when the end-of-service report arrives."""
from __future__ import annotations

from referrals.domain.states import State

ATTENDED = frozenset({"attended", "late"})


def decide_outcome(planned_sessions: int | None, attendances: list[str]) -> State:
    """No session attended: cancelled; every planned session attended: completed; else ended early."""
    delivered = sum(1 for a in attendances if a in ATTENDED)
    if delivered == 0:
        return State.CANCELLED
    if planned_sessions and delivered >= planned_sessions:
        return State.COMPLETED
    return State.ENDED_EARLY
