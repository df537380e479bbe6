"""The search rules: area with region fallback, eligibility, window, sort and cursor."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from crs_shared.errors import ValidationFailed

from providers.domain.intervention import CategoryOffer, Eligibility, Intervention
from providers.domain.search import Cursor, SearchQuery, matches, sort_key

NOW = datetime(2026, 3, 1, tzinfo=UTC)


@pytest.fixture
def catalogue(make_definition) -> dict[str, Intervention]:
    defs = {
        "kent": make_definition(title="Kent housing"),
        "kss-region": make_definition(title="KSS wellbeing", contract_type="PWB", area_kind="region", area_code="K",
                                      service_categories=(CategoryOffer("social-inclusion", ("LOW",), ()),),
                                      contract_reference="KSS-PWB-1"),
        "surrey-women": make_definition(title="Surrey women", area_code="surrey",
                                        eligibility=Eligibility(18, None, False, True), contract_reference="S-1"),
        "london": make_definition(title="London housing", area_kind="region", area_code="J", contract_reference="L-1"),
        "kent-later": make_definition(title="Kent later", open_from=date(2027, 1, 1), open_to=None,
                                      contract_reference="K-2"),
        "kent-young": make_definition(title="Kent young adults", eligibility=Eligibility(18, 25, True, True),
                                      contract_reference="K-3"),
    }
    return {k: Intervention.publish(d, NOW) for k, d in defs.items()}


def found(catalogue, ref, **query) -> set[str]:
    q = SearchQuery(**query)
    return {k for k, i in catalogue.items() if matches(i, q, ref)}


def test_a_pcc_area_finds_its_own_offers_and_its_regions(catalogue, ref) -> None:
    assert found(catalogue, ref, pcc_area="kent") == {"kent", "kss-region", "kent-later", "kent-young"}
    assert found(catalogue, ref, pcc_area="surrey") == {"kss-region", "surrey-women"}
    assert found(catalogue, ref, pcc_area="metropolitan") == {"london"}


def test_eligibility_filters_by_age_and_sex(catalogue, ref) -> None:
    assert found(catalogue, ref, pcc_area="surrey", sex="male") == {"kss-region"}
    assert "kent-young" not in found(catalogue, ref, pcc_area="kent", age=30)
    assert "kent-young" in found(catalogue, ref, pcc_area="kent", age=25)
    assert found(catalogue, ref, pcc_area="kent", age=70) == set()  # every Kent offer stops at 65
    assert found(catalogue, ref, pcc_area="surrey", age=70, sex="female") == {"surrey-women"}


def test_the_window_and_category_filters(catalogue, ref) -> None:
    assert "kent-later" not in found(catalogue, ref, pcc_area="kent", open_on=date(2026, 6, 1))
    assert "kent-later" in found(catalogue, ref, pcc_area="kent", open_on=date(2027, 6, 1))
    assert "kent" not in found(catalogue, ref, pcc_area="kent", open_on=date(2027, 6, 1))
    assert found(catalogue, ref, pcc_area="kent", service_category="social-inclusion") == {"kss-region"}


def test_closed_interventions_are_left_out_unless_asked_for(catalogue, ref) -> None:
    catalogue["kent"].close(NOW)
    assert "kent" not in found(catalogue, ref, pcc_area="kent")
    assert "kent" in found(catalogue, ref, pcc_area="kent", include_closed=True)


def test_the_cursor_resumes_after_the_last_row_in_title_then_id_order(catalogue, ref) -> None:
    ordered = sorted(catalogue.values(), key=sort_key)
    after = Cursor.decode(Cursor(ordered[1].definition.title, ordered[1].id).encode())
    rest = [i for i in ordered if matches(i, SearchQuery(after=after), ref)]
    assert rest == ordered[2:]


def test_a_bad_cursor_and_unknown_codes_are_rejected(ref) -> None:
    with pytest.raises(ValueError):
        Cursor.decode("not-a-cursor")
    with pytest.raises(ValidationFailed) as exc:
        SearchQuery(pcc_area="atlantis", service_category="gardening", sex="x", limit=1000).check(ref)
    assert {(e.field, e.code) for e in exc.value.errors} == {
        ("pcc_area", "unknown_pcc_area"), ("service_category", "unknown_service_category"),
        ("sex", "unknown_code"), ("limit", "out_of_range")}
    SearchQuery(pcc_area="kent", age=30, sex="female").check(ref)
