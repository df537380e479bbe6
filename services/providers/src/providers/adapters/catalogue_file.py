"""Reads a catalogue import file (JSON or CSV) into typed rows, each with its row number.

JSON: {"providers": [...], "interventions": [...]}; a row number is the 1-based position in
its list. CSV: one row per record with a `record` column (provider | intervention); a row
number is the line number (the header is line 1). List cells use `;`; a service category
cell is `code:LEVEL|LEVEL:OUTCOME|OUTCOME`; a caseworker cell is `name|email`.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

Record = Literal["provider", "intervention"]


@dataclass(frozen=True)
class RowError:
    record: str
    row: int
    field: str
    code: str
    message: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"record": self.record, "row": self.row, "field": self.field, "code": self.code,
                "message": self.message or self.code.replace("_", " ")}


def _split(value: Any) -> Any:
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    return value


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class CaseworkerRow(_Row):
    name: str = Field(min_length=1, max_length=200)
    email: str = Field(min_length=3, max_length=254)


class ProviderRow(_Row):
    ref: str = Field(min_length=1, max_length=100, description="the file's own key for this provider")
    name: str = Field(min_length=1, max_length=200)
    organisation_type: str
    charity_number: str | None = None
    company_number: str | None = None
    referral_mailbox: str = Field(max_length=254)
    caseworkers: list[CaseworkerRow] = []

    _blanks = field_validator("charity_number", "company_number", mode="before")(_blank_to_none)

    @field_validator("caseworkers", mode="before")
    @classmethod
    def _caseworker_cells(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [dict(zip(("name", "email"), part.split("|", 1), strict=False)) for part in _split(value)]
        return value


class CategoryRow(_Row):
    code: str
    complexity_levels: list[str] = Field(min_length=1)
    desired_outcome_codes: list[str] = []


class InterventionRow(_Row):
    title: str = Field(min_length=1, max_length=200)
    description: str = ""
    contract_type: str
    service_categories: list[CategoryRow] = Field(min_length=1)
    area_kind: str
    area_code: str
    minimum_age: int = 18
    maximum_age: int | None = None
    allows_male: bool = True
    allows_female: bool = True
    prime_provider: str = Field(min_length=1, description="a provider ref in this file, or an existing provider id")
    subcontractors: list[str] = []
    contract_reference: str
    open_from: date
    open_to: date | None = None

    _blanks = field_validator("maximum_age", "open_to", mode="before")(_blank_to_none)
    _lists = field_validator("subcontractors", mode="before")(_split)

    @field_validator("service_categories", mode="before")
    @classmethod
    def _category_cells(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        cells = []
        for part in _split(value):
            code, _, rest = part.partition(":")
            levels, _, outcomes = rest.partition(":")
            cells.append({"code": code, "complexity_levels": [v for v in levels.split("|") if v],
                          "desired_outcome_codes": [v for v in outcomes.split("|") if v]})
        return cells


@dataclass(frozen=True)
class ParsedFile:
    providers: list[tuple[int, ProviderRow]]
    interventions: list[tuple[int, InterventionRow]]
    errors: list[RowError]


def _typed(record: Record, row: int, raw: Any, out: ParsedFile) -> None:
    model = ProviderRow if record == "provider" else InterventionRow
    try:
        parsed = model.model_validate(raw)
    except ValidationError as exc:
        for e in exc.errors():
            field = ".".join(str(p) for p in e["loc"]) or "row"
            out.errors.append(RowError(record, row, field, e["type"], e["msg"]))
        return
    (out.providers if record == "provider" else out.interventions).append((row, parsed))  # type: ignore[arg-type]


def parse_catalogue_file(content: bytes, fmt: Literal["json", "csv"]) -> ParsedFile:
    """Every row that parses, and a RowError for every field that does not."""
    out = ParsedFile([], [], [])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        out.errors.append(RowError("file", 0, "file", "not_utf8", "the file must be UTF-8"))
        return out
    if fmt == "json":
        _parse_json(text, out)
    else:
        _parse_csv(text, out)
    if not (out.providers or out.interventions or out.errors):
        out.errors.append(RowError("file", 0, "file", "empty", "the file has no rows"))
    return out


def _parse_json(text: str, out: ParsedFile) -> None:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        out.errors.append(RowError("file", exc.lineno, "file", "invalid_json", exc.msg))
        return
    if not isinstance(doc, dict) or set(doc) - {"providers", "interventions"}:
        out.errors.append(RowError("file", 0, "file", "invalid_shape", 'expected {"providers": [], "interventions": []}'))
        return
    for record, key in (("provider", "providers"), ("intervention", "interventions")):
        rows = doc.get(key) or []
        if not isinstance(rows, list):
            out.errors.append(RowError("file", 0, key, "invalid_shape", "expected a list"))
            continue
        for i, raw in enumerate(rows, start=1):
            _typed(record, i, raw, out)  # type: ignore[arg-type]


def _parse_csv(text: str, out: ParsedFile) -> None:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "record" not in reader.fieldnames:
        out.errors.append(RowError("file", 1, "record", "missing_column", "the header needs a record column"))
        return
    for raw in reader:
        line = reader.line_num
        record = (raw.pop("record") or "").strip()
        if record not in ("provider", "intervention"):
            out.errors.append(RowError("file", line, "record", "unknown_code", "provider or intervention"))
            continue
        fields = ProviderRow.model_fields if record == "provider" else InterventionRow.model_fields
        # A CSV row has every column; keep only this record's, and let blank cells take defaults.
        data = {k: v for k, v in raw.items() if k in fields and v is not None and v.strip() != ""}
        _typed(record, line, data, out)  # type: ignore[arg-type]
