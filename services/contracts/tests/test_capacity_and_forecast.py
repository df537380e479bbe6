"""Capacity decisions, thresholds, bands, variations and the forecast (pure domain)."""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from contracts.domain.capacity import YearVolume, decide, release, thresholds_crossed
from contracts.domain.contract import Areas, describe_variation
from contracts.domain.forecast import forecast
from contracts.service.commands import VaryContract, new_contract, varied_contract
from contract_factories import award, terms, year_input

AREAS = Areas(regions=frozenset("ABCDEFGHIJKL"), pcc_areas={})


def year(volume: int, cap: int = 10, policy: str = "hard", reached: tuple[int, ...] = ()) -> YearVolume:
    return YearVolume(volume, terms(cap=cap, bands=()), policy, (75, 90, 100), frozenset(reached))


def test_within_cap_counts_and_at_cap_under_hard_policy_waits() -> None:
    assert decide(year(9)).counted and decide(year(9)).volume == 10
    waiting = decide(year(10))
    assert not waiting.counted and waiting.volume == 10


def test_soft_cap_counts_beyond_the_cap_with_an_overrun() -> None:
    decision = decide(year(10, policy="soft"))
    assert decision.counted and decision.volume == 11 and decision.overrun


def test_thresholds_fire_once_each() -> None:
    assert thresholds_crossed(8, 10, (75, 90, 100), frozenset()) == (75,)
    assert decide(year(8, reached=(75,))).thresholds_reached == (90,)
    assert decide(year(9, reached=(75, 90))).thresholds_reached == (100,)
    assert decide(year(5, cap=20, reached=(75, 90, 100))).thresholds_reached == ()


def test_band_change_is_reported_when_volume_moves_into_another_band() -> None:
    state = YearVolume(99, terms(), "hard", (75, 90, 100), frozenset())
    decision = decide(state)
    assert (decision.previous_band, decision.band, decision.band_changed) == (1, 2, True)
    assert not decide(replace(state, volume=50)).band_changed


def test_release_frees_a_place_and_can_move_down_a_band() -> None:
    state = YearVolume(100, terms(), "hard", (75, 90, 100), frozenset())
    freed = release(state)
    assert (freed.volume, freed.previous_band, freed.band) == (99, 2, 1)


def test_forecast_projects_the_run_rate_to_year_end() -> None:
    t = terms(cap=240)
    # 73 referrals in the first 73 days (1 a day) of a 365-day year: 365 by year end.
    f = forecast(t, date(2026, 4, 1), date(2027, 3, 31), date(2026, 6, 12), 73)
    assert f.projected_volume == 365 and f.over_cap and f.projected_band == 4
    assert f.projected_payable == Decimal("140000")
    assert f.projected_cap_date == date(2026, 11, 26)
    assert f.risks == ["over_cap"]


def test_forecast_flags_a_contract_heading_below_its_guaranteed_minimum() -> None:
    from contracts.domain.terms import Band
    t = terms(bands=(Band(100, 199, Decimal("90000")), Band(200, 300, Decimal("120000"))), cap=300)
    f = forecast(t, date(2026, 4, 1), date(2027, 3, 31), date(2026, 9, 30), 20)
    assert f.projected_volume < 100 and f.below_guaranteed_minimum and f.projected_cap_date is None
    assert f.projected_payable == Decimal("90000")


def test_variation_describes_cap_raised_term_extended_and_supply_chain() -> None:
    import uuid
    before = new_contract(award(), "A")
    sub = uuid.uuid4()
    after = varied_contract(before, VaryContract(
        reason="more demand", end_date=date(2029, 3, 31), subcontractor_provider_ids=[sub],
        years=[year_input(cap=300), year_input(), year_input()]))
    after.validate(AREAS)
    kinds, changes = describe_variation(before, after)
    assert set(kinds) == {"term_extended", "cap_raised", "supply_chain_changed"}
    assert changes["volume_cap"]["after"][1] == 300 and len(after.years) == 3


def test_extending_the_term_without_new_terms_repeats_the_last_year() -> None:
    before = new_contract(award(), "A")
    after = varied_contract(before, VaryContract(reason="extension", end_date=date(2029, 3, 31)))
    assert len(after.years) == 3 and after.years[2].terms == before.years[1].terms
    assert after.version == before.version + 1
