"""Interventions: the validation rules and versioning."""
from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from crs_shared.errors import Conflict, FieldErrors

from providers.domain.intervention import CategoryOffer, Eligibility, Intervention, check_definition

PRIME = uuid.UUID("00000000-0000-0000-0000-00000000000a")
SUB = uuid.UUID("00000000-0000-0000-0000-00000000000b")
ACTIVE = {PRIME: "active", SUB: "active"}
NOW = datetime(2026, 3, 1, tzinfo=UTC)


def errors_of(d, ref, statuses=ACTIVE) -> set[tuple[str, str]]:
    errors = FieldErrors()
    check_definition(d, ref, statuses, errors)
    return {(e.field, e.code) for e in errors.errors}


def test_a_valid_definition_has_no_errors(ref, make_definition) -> None:
    assert errors_of(make_definition(), ref) == set()


@pytest.mark.parametrize(("changes", "expected"), [
    ({"contract_type": "XYZ"}, ("contract_type", "unknown_contract_type")),
    ({"area_code": "atlantis"}, ("area_code", "unknown_pcc_area")),
    ({"area_kind": "region", "area_code": "Z"}, ("area_code", "unknown_region")),
    ({"area_kind": "county"}, ("area_kind", "unknown_code")),
    ({"eligibility": Eligibility(40, 30, True, True)}, ("eligibility.maximum_age", "range_reversed")),
    ({"eligibility": Eligibility(16, None, True, True)}, ("eligibility.minimum_age", "out_of_range")),
    ({"eligibility": Eligibility(18, None, False, False)}, ("eligibility.allows_female", "nobody_eligible")),
    ({"open_to": date(2025, 12, 31)}, ("open_to", "window_reversed")),
    ({"contract_reference": "!"}, ("contract_reference", "invalid_format")),
    ({"service_categories": ()}, ("service_categories", "required")),
    ({"service_categories": (CategoryOffer("gardening", ("LOW",), ()),)},
     ("service_categories.0.code", "unknown_service_category")),
    ({"service_categories": (CategoryOffer("emotional-wellbeing", ("LOW",), ()),)},
     ("service_categories.0.code", "category_not_in_contract_type")),
    ({"service_categories": (CategoryOffer("accommodation", ("EXTREME",), ()),)},
     ("service_categories.0.complexity_levels", "unknown_complexity_level")),
    ({"service_categories": (CategoryOffer("accommodation", ("LOW",), ("ETE-01",)),)},
     ("service_categories.0.desired_outcome_codes", "unknown_desired_outcome")),
    ({"subcontractor_provider_ids": (PRIME,)}, ("subcontractor_provider_ids", "duplicate")),
])
def test_bad_definitions_are_reported_field_by_field(ref, make_definition, changes, expected) -> None:
    assert expected in errors_of(make_definition(**changes), ref)


def test_unknown_and_inactive_providers_are_rejected(ref, make_definition) -> None:
    assert errors_of(make_definition(), ref, {PRIME: "suspended"}) == {
        ("prime_provider_id", "provider_not_active"), ("subcontractor_provider_ids.0", "unknown_provider")}


def test_a_supply_chain_has_at_most_nine_subcontractors(ref, make_definition) -> None:
    subs = tuple(uuid.uuid4() for _ in range(10))
    statuses = {PRIME: "active", **{s: "active" for s in subs}}
    assert ("subcontractor_provider_ids", "too_many") in errors_of(
        make_definition(subcontractor_provider_ids=subs), ref, statuses)


def test_womens_services_cover_eight_needs_and_personal_wellbeing_four(ref) -> None:
    assert len(ref.contract_type_categories["WOS"]) == 8
    assert set(ref.contract_type_categories["PWB"]) == {
        "emotional-wellbeing", "family-and-significant-others", "lifestyle-and-associates", "social-inclusion"}


def test_a_region_scoped_offer_covers_every_pcc_area_of_its_region(ref) -> None:
    assert ref.covered_pcc_areas("region", "D") == ["dyfed-powys", "gwent", "north-wales", "south-wales"]
    assert ref.covered_pcc_areas("pcc_area", "kent") == ["kent"]
    assert ref.region_of("pcc_area", "kent") == "K"


def test_publishing_creates_version_1(make_definition) -> None:
    i = Intervention.publish(make_definition(), NOW)
    assert i.version == 1 and i.status == "open" and i.events == ["intervention.published"]


def test_a_change_creates_the_next_version_and_leaves_the_old_one_untouched(make_definition) -> None:
    i = Intervention.publish(make_definition(), NOW)
    first = i.current
    new = i.revise({"title": "Accommodation Support, Kent"}, NOW)
    assert new is not None
    i.adopt(new, NOW)
    assert i.version == 2 and i.definition.title == "Accommodation Support, Kent"
    assert first.number == 1 and first.definition.title == "Accommodation Support in Kent"
    assert i.events == ["intervention.published", "intervention.updated"]


def test_a_change_that_changes_nothing_is_not_a_new_version(make_definition) -> None:
    i = Intervention.publish(make_definition(), NOW)
    assert i.revise({"title": "Accommodation Support in Kent"}, NOW) is None


def test_a_closed_intervention_cannot_change_or_close_again(make_definition) -> None:
    i = Intervention.publish(make_definition(), NOW)
    i.close(NOW)
    assert i.status == "closed" and i.events[-1] == "intervention.closed"
    with pytest.raises(Conflict):
        i.revise({"title": "x"}, NOW)
    with pytest.raises(Conflict):
        i.close(NOW)
