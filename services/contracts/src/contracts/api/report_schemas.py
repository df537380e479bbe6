"""Response schemas of the commercial read models (summaries, roll-ups, register): money as decimal strings."""
from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field, PlainSerializer, WithJsonSchema

PENNY = Decimal("0.01")
MONEY_SCHEMA = {"type": "string", "pattern": r"^-?\d+\.\d{2}$", "examples": ["80000.00"],
                "description": "an amount in pounds: a decimal string with two decimal places, exact"}


def money_text(value: Decimal | int | str) -> str:
    return str(Decimal(str(value)).quantize(PENNY))


# Money leaves every JSON response as an exact decimal string ("80000.00"), never a binary float.
Money = Annotated[Decimal, PlainSerializer(money_text, return_type=str, when_used="json"),
                  WithJsonSchema(MONEY_SCHEMA, mode="serialization")]


class VolumeSummary(BaseModel):
    """What a provider may see of a contract's current year: its volume, never money."""
    contract_id: uuid.UUID
    reference: str
    title: str
    contract_type: str
    region_code: str
    area_code: str
    contract_year: int | None
    year_start: date | None
    year_end: date | None
    volume: int
    volume_cap: int | None
    volume_estimate: int | None
    utilisation: float
    waitlisted: int
    started: int
    completed: int
    withdrawn: int


class BandSummary(BaseModel):
    band: int
    low: int
    high: int
    value: Money


class NotionalValue(BaseModel):
    LOW: Money
    MEDIUM: Money
    HIGH: Money
    total: Money


class ForecastOut(BaseModel):
    projected_volume: int
    projected_band: int | None
    projected_payable: Money
    projected_cap_date: date | None
    over_cap: bool
    below_guaranteed_minimum: bool


class CommercialSummary(VolumeSummary):
    """Volume, money, band and forecast of a contract's current year (null when out of term)."""
    supplier_status: str | None
    prime_provider_id: uuid.UUID
    prime_provider_name: str | None
    cap_policy: str
    total_value: Money
    band: int | None
    forecast: ForecastOut | None
    at_risk: bool
    risks: list[str]
    fixed_price: Money | None = None
    band_value: Money | None = None
    guaranteed_minimum: Money | None = None
    bands: list[BandSummary] | None = None
    overrun: int | None = None
    notional_value: NotionalValue | None = None


# Commercial fields are required in CommercialSummary, so a provider's volume-only view matches only the second.
ContractSummary = Annotated[CommercialSummary | VolumeSummary, Field(union_mode="left_to_right")]


class SummaryPage(BaseModel):
    items: list[CommercialSummary]
    total: int


class RollupGroup(BaseModel):
    key: str | None
    contracts: int
    fixed_price: Money
    volume_estimate: int
    volume_cap: int
    volume: int
    utilisation: float
    waitlisted: int
    started: int
    completed: int
    withdrawn: int


class Rollup(BaseModel):
    dimension: str
    groups: list[RollupGroup]


class RegisterEntry(BaseModel):
    reference: str
    title: str
    contract_type: str
    supplier: str
    supplier_id: uuid.UUID
    supplier_status: str | None
    area_kind: str
    area_code: str
    area_name: str
    region_code: str
    value: Money
    start_date: date
    end_date: date
    subcontractors: int


class Register(BaseModel):
    items: list[RegisterEntry]


class ValueShare(BaseModel):
    supplier_status: str | None
    contracts: int
    value: Money
    share: float


class ValueShares(BaseModel):
    groups: list[ValueShare]
