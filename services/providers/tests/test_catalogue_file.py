"""Reading import files: JSON and CSV rows, cell syntax, and row numbers in errors."""
from __future__ import annotations

from providers.adapters.catalogue_file import parse_catalogue_file

HEADER = ("record,ref,name,organisation_type,charity_number,referral_mailbox,caseworkers,title,contract_type,"
          "service_categories,area_kind,area_code,minimum_age,maximum_age,prime_provider,subcontractors,"
          "contract_reference,open_from\n")


def test_csv_cells_become_lists_and_blank_cells_take_defaults() -> None:
    content = (HEADER
               + "provider,p1,Acme,VCSE,1234567,in@acme.example.org,Jo|jo@acme.example.org;Al|al@acme.example.org"
               + ",,,,,,,,,,,\n"
               + "intervention,,,,,,,Wellbeing,PWB,emotional-wellbeing:LOW|HIGH:EWB-01;social-inclusion:MEDIUM,"
               + "region,A,21,,p1,p2;p3,REF-1,2026-01-01\n").encode()
    parsed = parse_catalogue_file(content, "csv")
    assert parsed.errors == []
    (row, provider), = parsed.providers
    assert row == 2 and [c.email for c in provider.caseworkers] == ["jo@acme.example.org", "al@acme.example.org"]
    (row, i), = parsed.interventions
    assert row == 3 and i.maximum_age is None and i.allows_female is True and i.subcontractors == ["p2", "p3"]
    assert [(c.code, c.complexity_levels, c.desired_outcome_codes) for c in i.service_categories] == [
        ("emotional-wellbeing", ["LOW", "HIGH"], ["EWB-01"]), ("social-inclusion", ["MEDIUM"], [])]


def test_csv_type_errors_name_the_line_and_field() -> None:
    content = (HEADER + "intervention,,,,,,,T,ACC,accommodation:LOW,pcc_area,kent,old,,p1,,R-1,someday\n"
               + "charity,,,,,,,,,,,,,,,,,\n").encode()
    errors = {(e.row, e.field, e.code) for e in parse_catalogue_file(content, "csv").errors}
    assert errors == {(2, "minimum_age", "int_parsing"), (2, "open_from", "date_from_datetime_parsing"),
                      (3, "record", "unknown_code")}


def test_json_rows_are_numbered_within_their_list_and_bad_json_is_reported() -> None:
    doc = b'{"providers": [{"ref": "a", "name": "A", "organisation_type": "SME", "referral_mailbox": "a@a.org"},' \
          b' {"ref": "b"}]}'
    parsed = parse_catalogue_file(doc, "json")
    assert len(parsed.providers) == 1
    assert {(e.record, e.row, e.field) for e in parsed.errors} == {
        ("provider", 2, "name"), ("provider", 2, "organisation_type"), ("provider", 2, "referral_mailbox")}
    assert parse_catalogue_file(b"{nope", "json").errors[0].code == "invalid_json"
    assert parse_catalogue_file(b'{"providers": []}', "json").errors[0].code == "empty"
