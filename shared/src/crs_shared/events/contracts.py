"""Events of contract tracking (producer: contracts service)."""
from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Literal

from crs_shared.events import topics
from crs_shared.events.envelope import EventData, event


class ContractEvent(EventData):
    topic = topics.CONTRACTS

    contract_id: uuid.UUID
    contract_reference: str


class _ContractTerms(ContractEvent):
    contract_type: str
    prime_provider_id: uuid.UUID
    subcontractor_provider_ids: list[uuid.UUID]
    area_kind: Literal["region", "pcc_area"]
    area_code: str
    region_code: str
    start_date: date
    end_date: date
    cap_policy: Literal["hard", "soft"]


@event
class ContractAwarded(_ContractTerms):
    event_type = "contract.awarded"
    summary = "A contract was awarded."


@event
class ContractVaried(_ContractTerms):
    event_type = "contract.varied"
    summary = "A contract's terms were varied (cap, term, bands, supply chain)."

    variation_id: uuid.UUID
    reason: str


class _ReferralDecision(ContractEvent):
    referral_id: uuid.UUID
    contract_year: int  # 1-based year of the contract term
    region_code: str


@event
class ContractReferralCounted(_ReferralDecision):
    event_type = "contract.referral_counted"
    summary = "A referral was counted against the contract's volume for the year."

    volume: int
    volume_cap: int
    band: int | None = None
    from_waitlist: bool = False


@event
class ContractReferralWaitlisted(_ReferralDecision):
    event_type = "contract.referral_waitlisted"
    summary = "The contract is at its hard cap; the referral waits, oldest first."

    position: int


@event
class ContractVolumeThresholdReached(ContractEvent):
    event_type = "contract.volume_threshold_reached"
    summary = "Volume reached a threshold of the cap (once per threshold per contract year)."

    contract_year: int
    threshold_percent: int
    volume: int
    volume_cap: int
    region_code: str


@event
class ContractBandChanged(ContractEvent):
    event_type = "contract.band_changed"
    summary = "Actual volume moved into another volume band."

    contract_year: int
    previous_band: int | None
    band: int
    volume: int
    band_value: Decimal
    region_code: str


@event
class ContractAtRisk(ContractEvent):
    event_type = "contract.at_risk"
    summary = "The forecast shows the contract over its cap or under its guaranteed minimum."

    contract_year: int
    risk: Literal["over_cap", "under_guaranteed_minimum"]
    projected_volume: int
    region_code: str


@event
class ContractCapOverrun(ContractEvent):
    event_type = "contract.cap_overrun"
    summary = "A referral was counted beyond the cap of a contract with a soft cap policy (an alert)."

    contract_year: int
    referral_id: uuid.UUID
    volume: int
    volume_cap: int
    region_code: str
