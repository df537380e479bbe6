"""Run-rate forecast of a contract year: year-end volume, band, payable value, cap date."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from contracts.domain.terms import YearTerms


@dataclass(frozen=True)
class Forecast:
    projected_volume: int
    projected_band: int | None
    projected_payable: Decimal
    projected_cap_date: date | None
    over_cap: bool
    below_guaranteed_minimum: bool

    @property
    def at_risk(self) -> bool:
        return self.over_cap or self.below_guaranteed_minimum

    @property
    def risks(self) -> list[str]:
        return [name for name, flag in (("over_cap", self.over_cap),
                                        ("under_guaranteed_minimum", self.below_guaranteed_minimum)) if flag]


def forecast(terms: YearTerms, start: date, end: date, today: date, volume: int) -> Forecast:
    """Project the year's volume at the run rate so far (referrals per elapsed day)."""
    today = min(max(today, start), end)
    elapsed = (today - start).days + 1
    remaining = (end - today).days
    rate = volume / elapsed
    projected = volume + math.floor(rate * remaining + 0.5)
    cap = terms.volume_cap
    if volume >= cap:
        cap_date: date | None = today if volume == cap else None
    elif rate > 0:
        cap_date = today + timedelta(days=math.ceil((cap - volume) / rate))
        cap_date = cap_date if cap_date <= end else None
    else:
        cap_date = None
    lowest = terms.bands[0].low if terms.bands else None
    return Forecast(
        projected_volume=projected,
        projected_band=terms.band_for(projected),
        projected_payable=terms.payable(projected),
        projected_cap_date=cap_date,
        over_cap=projected > cap,
        below_guaranteed_minimum=lowest is not None and projected < lowest,
    )
