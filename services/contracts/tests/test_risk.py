"""When the forecast raises `contract.at_risk` (pure domain): once per risk kind, after enough evidence."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from contracts.domain.forecast import forecast
from contracts.domain.risk import AFTER_COUNTING, AFTER_RELEASE, MIN_ELAPSED_DAYS, risks_to_raise
from contracts.domain.terms import Band
from contract_factories import terms

START, END = date(2026, 4, 1), date(2027, 3, 31)
# The lowest band starts at 60: its value is the guaranteed minimum, paid for at least 60 referrals.
BANDS = (Band(60, 99, Decimal("80000")), Band(100, 149, Decimal("100000")),
         Band(150, 199, Decimal("120000")), Band(200, 260, Decimal("140000")))


def on_day(day: int, volume: int, cap: int = 240):
    today = date.fromordinal(START.toordinal() + day - 1)
    return forecast(terms(cap=cap, bands=BANDS), START, END, today, volume)


def test_a_forecast_over_cap_is_raised_once() -> None:
    f = on_day(60, volume=100)  # 100 in 60 days heads for about 600 against a cap of 240
    assert f.over_cap
    assert risks_to_raise(f, 60, set()) == ["over_cap"]
    assert risks_to_raise(f, 61, {"over_cap"}) == []


def test_heading_below_the_guaranteed_minimum_is_its_own_risk() -> None:
    f = on_day(120, volume=5)
    assert f.below_guaranteed_minimum and not f.over_cap
    assert risks_to_raise(f, 120, {"over_cap"}) == ["under_guaranteed_minimum"]
    assert risks_to_raise(f, 121, {"over_cap", "under_guaranteed_minimum"}) == []


def test_a_healthy_forecast_raises_nothing() -> None:
    f = on_day(180, volume=90)  # about 182 by year end: within cap, above the lowest band
    assert not f.at_risk and risks_to_raise(f, 180, set()) == []


def test_too_few_days_into_the_year_to_trust_the_run_rate() -> None:
    early = on_day(3, volume=4)  # four referrals in three days "forecasts" almost 500
    assert early.over_cap
    assert risks_to_raise(early, 3, set()) == []
    assert risks_to_raise(early, MIN_ELAPSED_DAYS, set()) == ["over_cap"]


def test_only_the_kinds_a_change_can_reach_are_checked() -> None:
    f = on_day(120, volume=5)  # under the minimum
    assert risks_to_raise(f, 120, set(), kinds=AFTER_COUNTING) == []  # counting only raises volume
    assert risks_to_raise(f, 120, set(), kinds=AFTER_RELEASE) == ["under_guaranteed_minimum"]
