"""When a contract year's forecast raises an at-risk alert: once per risk kind, on crossing into it."""
from __future__ import annotations

from collections.abc import Iterable

from contracts.domain.forecast import Forecast

# A run rate over fewer days is noise: one referral on day one would "forecast" a year far over cap,
# and no referral in the first week would "forecast" every banded contract under its minimum.
MIN_ELAPSED_DAYS = 28
OVER_CAP, UNDER_MINIMUM = "over_cap", "under_guaranteed_minimum"
# More referrals can only take a forecast over the cap; fewer (a withdrawal, or time passing) only
# under the minimum. Checking just the reachable kind keeps a batch being counted one by one from
# looking, after its first referral, like a contract heading below its minimum.
AFTER_COUNTING = (OVER_CAP,)
AFTER_RELEASE = (UNDER_MINIMUM,)


def risks_to_raise(f: Forecast, elapsed_days: int, already_raised: Iterable[str],
                   kinds: Iterable[str] = (OVER_CAP, UNDER_MINIMUM),
                   min_elapsed_days: int = MIN_ELAPSED_DAYS) -> list[str]:
    """The risks (of `kinds`) the forecast shows now that were not raised before for this contract year."""
    if elapsed_days < min_elapsed_days:
        return []
    raised, wanted = set(already_raised), set(kinds)
    return [risk for risk in f.risks if risk in wanted and risk not in raised]
