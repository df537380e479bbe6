"""Parsing a bulk import (JSON list or CSV, as a body or an uploaded file) into award commands."""
from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

from fastapi import Request
from pydantic import ValidationError

from crs_shared.errors import FieldError, ValidationFailed
from crs_shared.web.uploads import read_upload

from contracts.api.schemas import AwardRequest
from contracts.domain.contract import split_term
from contracts.service.commands import AwardContract

CSV_COLUMNS = (
    "reference", "title", "commissioner_region", "co_commissioner", "contract_type", "prime_provider_id",
    "prime_provider_name", "subcontractor_provider_ids", "supplier_status", "area_kind", "area_code",
    "start_date", "end_date", "cap_policy", "fixed_price", "volume_estimate", "volume_cap",
    "unit_cost_low", "unit_cost_medium", "unit_cost_high", "bands",
)


async def parse_import(request: Request) -> list[AwardContract]:
    content, fmt = await read_upload(request)
    raw = content.decode("utf-8-sig")
    rows = csv_rows(raw) if fmt == "csv" else json_rows(raw)
    return validate_rows(rows)


def json_rows(raw: str) -> list[Any]:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValidationFailed([FieldError("body", "invalid_json", str(exc))]) from exc
    data = data.get("contracts") if isinstance(data, dict) else data
    if not isinstance(data, list) or not data:
        raise ValidationFailed([FieldError("body", "no_rows", "a non-empty list of contracts")])
    return data


def csv_rows(raw: str) -> list[dict[str, Any]]:
    """One contract per row; the same terms in every contract year; bands as `low-high:value;...`."""
    reader = csv.DictReader(io.StringIO(raw))
    missing = [c for c in ("reference", "start_date", "end_date", "fixed_price") if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationFailed([FieldError("file", "missing_columns", f"missing columns: {', '.join(missing)}")])
    rows = []
    for line in reader:
        get = lambda k: (line.get(k) or "").strip() or None  # noqa: E731
        year = {"fixed_price": get("fixed_price"), "volume_estimate": get("volume_estimate"),
                "volume_cap": get("volume_cap"),
                "unit_costs": {lvl: get(f"unit_cost_{lvl.lower()}") for lvl in ("LOW", "MEDIUM", "HIGH")
                               if get(f"unit_cost_{lvl.lower()}")},
                "bands": _bands(get("bands"))}
        row = {k: get(k) for k in CSV_COLUMNS[:14] if get(k) is not None}
        row["subcontractor_provider_ids"] = [s for s in (get("subcontractor_provider_ids") or "").split(";") if s]
        row["years"] = [year] * _year_count(get("start_date"), get("end_date"))
        rows.append(row)
    if not rows:
        raise ValidationFailed([FieldError("file", "no_rows", "the file has no contracts")])
    return rows


def _bands(text: str | None) -> list[dict[str, str]] | str:
    if not text:
        return []
    bands = []
    for part in text.split(";"):
        span, _, value = part.partition(":")
        low, _, high = span.partition("-")
        bands.append({"low": low.strip(), "high": high.strip(), "value": value.strip()})
    return bands


def _year_count(start: str | None, end: str | None) -> int:
    try:
        return max(len(split_term(date.fromisoformat(start or ""), date.fromisoformat(end or ""))), 1)
    except ValueError:
        return 1


def validate_rows(rows: list[Any]) -> list[AwardContract]:
    errors: list[FieldError] = []
    commands = []
    for index, row in enumerate(rows):
        try:
            commands.append(AwardRequest.model_validate(row).command())
        except ValidationError as exc:
            errors += [FieldError(f"rows.{index}." + ".".join(str(p) for p in e["loc"]), e["type"], e["msg"])
                       for e in exc.errors()]
    if errors:
        raise ValidationFailed(errors, "No contract was imported: fix the rows listed")
    return commands
