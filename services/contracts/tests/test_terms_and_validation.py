"""Bands, caps and contract validation (pure domain)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from crs_shared.errors import ValidationFailed

from contracts.domain.contract import Areas, split_term
from contracts.domain.terms import Band
from contracts.service.commands import new_contract
from contract_factories import BANDS, award, terms, year_input

AREAS = Areas(regions=frozenset("ABCDEFGHIJKL"), pcc_areas={"durham": "A", "kent": "K"})


def codes(exc: pytest.ExceptionInfo[ValidationFailed]) -> dict[str, str]:
    return {e.field: e.code for e in exc.value.errors}


def build(**overrides: object):
    command = award(**overrides)
    contract = new_contract(command, AREAS.region_of(command.area_kind, command.area_code))
    contract.validate(AREAS)
    return contract


def test_band_for_volume_and_guaranteed_minimum() -> None:
    t = terms()
    assert [t.band_for(v) for v in (0, 99, 100, 150, 200, 260, 300)] == [1, 1, 2, 3, 4, 4, 4]
    assert t.guaranteed_minimum == Decimal("80000")
    assert t.payable(120) == Decimal("100000")


def test_no_bands_pays_the_fixed_price() -> None:
    t = terms(bands=())
    assert t.band_for(10) is None and t.guaranteed_minimum is None
    assert t.payable(10) == Decimal("120000")


def test_notional_value_sums_unit_costs_by_intensity() -> None:
    assert terms().notional_value({"ACC": "HIGH", "ETE": "LOW", "EWB": "HIGH"}) == {
        "HIGH": Decimal("2200"), "LOW": Decimal("400")}


def test_valid_contract_splits_the_term_into_years_and_takes_the_region_of_its_area() -> None:
    contract = build(area_kind="pcc_area", area_code="durham")
    assert contract.region_code == "A"
    assert [(y.start, y.end) for y in contract.years] == [
        (date(2026, 4, 1), date(2027, 3, 31)), (date(2027, 4, 1), date(2028, 3, 31))]
    assert contract.total_value == Decimal("240000")
    assert contract.year_on(date(2027, 5, 1)).number == 2


def test_split_term_last_year_may_be_short() -> None:
    assert split_term(date(2026, 1, 1), date(2027, 6, 30))[-1] == (date(2027, 1, 1), date(2027, 6, 30))


def test_overlapping_years_are_rejected() -> None:
    with pytest.raises(ValidationFailed) as exc:
        build(years=[year_input(start_date=date(2026, 4, 1), end_date=date(2027, 3, 31)),
                     year_input(start_date=date(2027, 3, 1), end_date=date(2028, 3, 31))])
    assert codes(exc)["years.1.start_date"] == "overlapping_years"


def test_bands_that_overlap_or_leave_gaps_are_rejected() -> None:
    overlapping = (Band(0, 99, Decimal(1)), Band(90, 150, Decimal(2)))
    gap = (Band(0, 99, Decimal(1)), Band(120, 250, Decimal(2)))
    with pytest.raises(ValidationFailed) as exc:
        build(years=[year_input(bands=overlapping), year_input(bands=gap)])
    assert codes(exc) == {"years.0.bands.1.low": "bands_overlap", "years.1.bands.1.low": "bands_gap"}


def test_cap_below_lowest_band_and_negative_prices_are_rejected() -> None:
    bands = (Band(50, 99, Decimal("-5")), *BANDS[1:])
    with pytest.raises(ValidationFailed) as exc:
        build(years=[year_input(cap=40, bands=bands), year_input()])
    found = codes(exc)
    assert found["years.0.volume_cap"] == "cap_below_lowest_band"
    assert found["years.0.bands.0.value"] == "negative"


def test_unknown_areas_and_codes_are_reported_per_field() -> None:
    with pytest.raises(ValidationFailed) as exc:
        build(area_kind="pcc_area", area_code="atlantis", contract_type="XYZ", supplier_status="BIG",
              commissioner_region="Z")
    assert codes(exc) == {"area_code": "unknown_area", "contract_type": "unknown_contract_type",
                          "supplier_status": "unknown_supplier_status", "commissioner_region": "unknown_region"}


def test_region_code_must_match_the_area() -> None:
    with pytest.raises(ValidationFailed) as exc:
        build(area_kind="pcc_area", area_code="kent", region_code="A")
    assert codes(exc) == {"region_code": "area_not_in_region"}


def test_year_count_must_match_the_term() -> None:
    with pytest.raises(ValidationFailed) as exc:
        build(years=[year_input()])
    assert codes(exc) == {"years": "year_count_mismatch"}


def test_thresholds_must_be_ascending_percentages() -> None:
    with pytest.raises(ValidationFailed) as exc:
        build(thresholds=(90, 75))
    assert codes(exc) == {"thresholds": "invalid_thresholds"}
