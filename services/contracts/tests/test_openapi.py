"""The OpenAPI document: money as decimal strings, the bulk import's accepted bodies."""
from __future__ import annotations

import re

from contracts.app import create_app
from contracts.settings import Settings


def spec() -> dict:
    return create_app(Settings(database_url="sqlite+aiosqlite:////tmp/contracts-openapi.db")).openapi()


def test_money_is_documented_as_an_exact_decimal_string_in_every_response() -> None:
    schemas = spec()["components"]["schemas"]
    money = [(name, field, schemas[name]["properties"][field]) for name, field in (
        ("ContractOut", "total_value"), ("YearOut", "fixed_price"), ("BandOut", "value"),
        ("CommercialSummary", "total_value"), ("ForecastOut", "projected_payable"), ("RollupGroup", "fixed_price"),
        ("RegisterEntry", "value"), ("ValueShare", "value"))]
    for name, field, prop in money:
        prop = next((s for s in prop.get("anyOf", []) if s.get("type") == "string"), prop)
        assert prop["type"] == "string", (name, field, prop)
        assert re.fullmatch(prop["pattern"], "80000.00") and not re.fullmatch(prop["pattern"], "80000"), (name, field)


def test_the_import_body_is_documented_as_json_csv_or_an_upload() -> None:
    body = spec()["paths"]["/v1/contracts/import"]["post"]["requestBody"]["content"]
    assert set(body) == {"application/json", "text/csv", "multipart/form-data"}
    as_list = body["application/json"]["schema"]["oneOf"][0]
    assert as_list["items"] == {"$ref": "#/components/schemas/AwardRequest"}
    assert body["multipart/form-data"]["schema"]["required"] == ["file"]
