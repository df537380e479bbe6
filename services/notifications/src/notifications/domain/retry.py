"""When to try a failed delivery again: exponential backoff with jitter, then give up."""
from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta

# Roughly exponential, about 24 hours in total (13 attempts), like the Standard Webhooks
# reference schedule. The first two retries are quick so that a receiver failing one call in
# ten still gets 99% of its webhooks within a second.
DEFAULT_SCHEDULE_S: tuple[float, ...] = (
    0.25, 0.5, 5, 30, 120, 600, 1800, 3600, 7200, 14400, 28800, 28800,
)


def next_attempt_at(
    now: datetime, attempts_made: int, schedule: Sequence[float], jitter: float, rng: random.Random | None = None
) -> datetime | None:
    """The time of the next attempt after `attempts_made` failed ones, or None when exhausted."""
    if attempts_made < 1 or attempts_made > len(schedule):
        return None
    base = float(schedule[attempts_made - 1])
    spread = (rng or random).uniform(-jitter, jitter) if jitter else 0.0
    return now + timedelta(seconds=max(0.0, base * (1 + spread)))
