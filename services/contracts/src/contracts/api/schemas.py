"""Request and response schemas of the contracts API (pydantic at the edge only)."""
from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from contracts.api.report_schemas import Money
from contracts.domain.contract import DEFAULT_THRESHOLDS, Contract, Variation
from contracts.domain.terms import Band
from contracts.service.commands import AwardContract, VaryContract, YearInput

Intensity = Literal["LOW", "MEDIUM", "HIGH"]
# An amount in pounds as given (a JSON number or string), to the penny, as stored.
MoneyIn = Annotated[Decimal, Field(max_digits=14, decimal_places=2)]


class BandIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    low: int
    high: int
    value: MoneyIn


class YearIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    fixed_price: MoneyIn
    volume_estimate: int
    volume_cap: int
    unit_costs: dict[Intensity, MoneyIn] = {}
    bands: list[BandIn] = Field(default=[], max_length=10)
    start_date: date | None = Field(None, description="optional: years default to anniversaries of the term start")
    end_date: date | None = None

    def command(self) -> YearInput:
        return YearInput(
            fixed_price=self.fixed_price, volume_estimate=self.volume_estimate, volume_cap=self.volume_cap,
            unit_costs=dict(self.unit_costs), bands=tuple(Band(b.low, b.high, b.value) for b in self.bands),
            start_date=self.start_date, end_date=self.end_date,
        )


class AwardRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reference: str = Field(min_length=1, max_length=100)
    title: str = Field(min_length=1, max_length=300)
    commissioner_region: str
    co_commissioner: str | None = None
    contract_type: str
    prime_provider_id: uuid.UUID
    prime_provider_name: str | None = None
    subcontractor_provider_ids: list[uuid.UUID] = []
    supplier_status: str
    area_kind: Literal["region", "pcc_area"]
    area_code: str
    region_code: str | None = None
    start_date: date
    end_date: date
    cap_policy: Literal["hard", "soft"] = "hard"
    thresholds: list[int] = list(DEFAULT_THRESHOLDS)
    years: list[YearIn] = Field(min_length=1, max_length=20)

    def command(self) -> AwardContract:
        data = self.model_dump(exclude={"years", "thresholds"})
        return AwardContract(**data, thresholds=tuple(self.thresholds), years=[y.command() for y in self.years])


class VariationRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=2000)
    end_date: date | None = None
    years: list[YearIn] | None = Field(None, min_length=1, max_length=20)
    subcontractor_provider_ids: list[uuid.UUID] | None = None
    cap_policy: Literal["hard", "soft"] | None = None
    thresholds: list[int] | None = None

    def command(self) -> VaryContract:
        return VaryContract(
            reason=self.reason, end_date=self.end_date,
            years=[y.command() for y in self.years] if self.years is not None else None,
            subcontractor_provider_ids=self.subcontractor_provider_ids, cap_policy=self.cap_policy,
            thresholds=tuple(self.thresholds) if self.thresholds is not None else None,
        )


class BandOut(BaseModel):
    low: int
    high: int
    value: Money


class YearOut(BaseModel):
    number: int
    start_date: date
    end_date: date
    fixed_price: Money
    volume_estimate: int
    volume_cap: int
    unit_costs: dict[str, Money]
    bands: list[BandOut]
    guaranteed_minimum: Money | None


class ContractOut(BaseModel):
    id: uuid.UUID
    reference: str
    title: str
    commissioner_region: str
    co_commissioner: str | None
    contract_type: str
    prime_provider_id: uuid.UUID
    prime_provider_name: str | None
    subcontractor_provider_ids: list[uuid.UUID]
    supplier_status: str
    area_kind: str
    area_code: str
    region_code: str
    start_date: date
    end_date: date
    cap_policy: str
    thresholds: list[int]
    total_value: Money
    version: int
    years: list[YearOut]

    @classmethod
    def of(cls, c: Contract) -> ContractOut:
        return cls(
            id=c.id, reference=c.reference, title=c.title, commissioner_region=c.commissioner_region,
            co_commissioner=c.co_commissioner, contract_type=c.contract_type, prime_provider_id=c.prime_provider_id,
            prime_provider_name=c.prime_provider_name, subcontractor_provider_ids=c.subcontractor_provider_ids,
            supplier_status=c.supplier_status, area_kind=c.area_kind, area_code=c.area_code,
            region_code=c.region_code, start_date=c.start_date, end_date=c.end_date, cap_policy=c.cap_policy,
            thresholds=list(c.thresholds), total_value=c.total_value, version=c.version,
            years=[YearOut(number=y.number, start_date=y.start, end_date=y.end, fixed_price=y.terms.fixed_price,
                           volume_estimate=y.terms.volume_estimate, volume_cap=y.terms.volume_cap,
                           unit_costs=y.terms.unit_costs,
                           bands=[BandOut(low=b.low, high=b.high, value=b.value) for b in y.terms.bands],
                           guaranteed_minimum=y.terms.guaranteed_minimum) for y in c.years],
        )


class VariationOut(BaseModel):
    id: uuid.UUID
    contract_id: uuid.UUID
    kinds: list[str]
    reason: str
    varied_by: str
    varied_at: datetime
    changes: dict
    terms_before: dict | None = None

    @classmethod
    def of(cls, v: Variation) -> VariationOut:
        return cls(id=v.id, contract_id=v.contract_id, kinds=list(v.kinds), reason=v.reason, varied_by=v.varied_by,
                   varied_at=v.varied_at, changes=v.changes)


class ContractListItem(BaseModel):
    id: uuid.UUID
    reference: str
    title: str
    contract_type: str
    supplier_status: str | None = None
    area_kind: str
    area_code: str
    region_code: str
    start_date: date
    end_date: date
    total_value: Money | None = Field(None, description="null for a provider")


class ContractPage(BaseModel):
    items: list[ContractListItem]
    total: int
    limit: int
    offset: int
