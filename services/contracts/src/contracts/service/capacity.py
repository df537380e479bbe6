"""Capacity decisions: count or waitlist each submitted referral, and free places again.

Every decision holds the contract-year row lock (SELECT ... FOR UPDATE), so two
referrals racing for the last place are decided one after the other, and the unique
(contract, referral) row makes a redelivered or re-sent referral a no-op.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from crs_shared.db import utcnow
from crs_shared.events.contracts import (
    ContractBandChanged, ContractCapOverrun, ContractReferralCounted, ContractReferralWaitlisted,
    ContractVolumeThresholdReached,
)
from crs_shared.events.referrals import (
    ReferralAssessmentAttended, ReferralCompleted, ReferralSubmitted, ReferralWithdrawn,
)

from contracts.adapters.capacity_repository import ContractHead, year_volume
from contracts.adapters.mapping import terms_from_row
from contracts.domain.capacity import Decision, decide, release
from contracts.domain.risk import AFTER_COUNTING, AFTER_RELEASE
from contracts.service.risk import check_year
from contracts.service.uow import ContractsUnitOfWork

VALUE_COLUMNS = {"LOW": "value_low", "MEDIUM": "value_medium", "HIGH": "value_high"}


async def record_submitted(uow: ContractsUnitOfWork, event: ReferralSubmitted) -> None:
    """Decide on a submitted referral: counted, waitlisted, or kept as unmatched."""
    head = await uow.capacity.head_by_reference(event.contract_reference)
    if head is None:
        await uow.capacity.add_unmatched(
            referral_id=str(event.referral_id), contract_reference=event.contract_reference,
            region_code=event.region_code, submitted_at=event.submitted_at, received_at=utcnow(),
            event=event.model_dump(mode="json"))
        return
    await _decide(uow, head, str(event.referral_id), event.submitted_at, dict(event.complexity))


async def decide_unmatched(uow: ContractsUnitOfWork, contract_id: str) -> None:
    """A contract was awarded: decide on the referrals that were waiting for its reference."""
    head = await uow.capacity.head(contract_id)
    assert head is not None
    for row in await uow.capacity.take_unmatched(head.reference):
        await _decide(uow, head, row.referral_id, row.submitted_at, dict(row.event.get("complexity", {})))


async def _decide(uow: ContractsUnitOfWork, head: ContractHead, referral_id: str, submitted_at: datetime,
                  complexity: dict[str, str]) -> None:
    year = await uow.capacity.lock_year_on(head.id, submitted_at.date())
    if await uow.capacity.decided_on(head.id, referral_id):
        return  # the same referral submitted again: decided once only
    decision = decide(year_volume(head, year))
    now = utcnow()
    base = dict(contract_id=head.id, referral_id=referral_id, submitted_at=submitted_at, decided_at=now,
                complexity=complexity)
    if decision.counted:
        value = _notional(year, complexity)
        await uow.capacity.add_referral(**base, year_number=year.year_number, status="counted",
                                        **{VALUE_COLUMNS[k]: v for k, v in value.items()})
        # The weekly series follows the day the referral was made (it also picked the contract year).
        await _counted(uow, head, year, decision, referral_id, value, submitted_at.date(), from_waitlist=False)
        return
    position = await uow.capacity.waitlist_length(head.id) + 1
    await uow.capacity.add_referral(**base, year_number=year.year_number, status="waitlisted")
    await uow.capacity.bump_year(head.id, year.year_number, waitlisted=1)
    await uow.capacity.bump_week(head.id, year.year_number, submitted_at.date(), waitlisted=1)
    uow.emit(ContractReferralWaitlisted(
        contract_id=uuid.UUID(head.id), contract_reference=head.reference, referral_id=uuid.UUID(referral_id),
        contract_year=year.year_number, region_code=head.region_code, position=position,
    ), contract_id=head.id, referral_id=referral_id)


def _notional(year: Any, complexity: dict[str, str]) -> dict[str, Decimal]:
    return terms_from_row(year).notional_value(complexity)


async def _counted(uow: ContractsUnitOfWork, head: ContractHead, year: Any, decision: Decision, referral_id: str,
                   value: dict[str, Decimal], today: date, *, from_waitlist: bool) -> None:
    reached = sorted({*(year.thresholds_reached or []), *decision.thresholds_reached})
    await uow.capacity.update_year(
        head.id, year.year_number, volume=decision.volume, band=decision.band, thresholds_reached=reached,
        overrun=year.overrun + (1 if decision.overrun else 0), updated_at=utcnow(),
        **{VALUE_COLUMNS[k]: getattr(year, VALUE_COLUMNS[k]) + v for k, v in value.items()})
    await uow.capacity.bump_week(head.id, year.year_number, today, counted=1)
    ids = dict(contract_id=uuid.UUID(head.id), contract_reference=head.reference)
    subject = dict(contract_id=head.id, referral_id=referral_id)
    cap = year.volume_cap
    uow.emit(ContractReferralCounted(
        **ids, referral_id=uuid.UUID(referral_id), contract_year=year.year_number, region_code=head.region_code,
        volume=decision.volume, volume_cap=cap, band=decision.band, from_waitlist=from_waitlist), **subject)
    for threshold in decision.thresholds_reached:
        uow.emit(ContractVolumeThresholdReached(
            **ids, contract_year=year.year_number, threshold_percent=threshold, volume=decision.volume,
            volume_cap=cap, region_code=head.region_code), contract_id=head.id)
    if decision.overrun:
        uow.emit(ContractCapOverrun(
            **ids, contract_year=year.year_number, referral_id=uuid.UUID(referral_id), volume=decision.volume,
            volume_cap=cap, region_code=head.region_code), contract_id=head.id)
    _band_event(uow, head, year, decision)
    await check_year(uow, head, year, utcnow().date(), volume=decision.volume, kinds=AFTER_COUNTING)


def _band_event(uow: ContractsUnitOfWork, head: ContractHead, year: Any, decision: Decision) -> None:
    if decision.band is None or decision.band == decision.previous_band:
        return
    terms = terms_from_row(year)
    uow.emit(ContractBandChanged(
        contract_id=uuid.UUID(head.id), contract_reference=head.reference, contract_year=year.year_number,
        previous_band=decision.previous_band, band=decision.band, volume=decision.volume,
        band_value=terms.bands[decision.band - 1].value, region_code=head.region_code), contract_id=head.id)


async def promote_waitlisted(uow: ContractsUnitOfWork, contract_id: str, year_number: int) -> int:
    """Count the oldest waiting referrals into `year_number` while it has places; returns how many."""
    head = await uow.capacity.head(contract_id)
    promoted = 0
    while True:
        year = await uow.capacity.lock_year(contract_id, year_number)
        if year is None or year.volume >= year.volume_cap:
            return promoted
        waiting = await uow.capacity.oldest_waitlisted(contract_id, year_number)
        if waiting is None:
            return promoted
        decision = decide(year_volume(head, year), force=True)
        value = _notional(year, dict(waiting.complexity))
        await uow.capacity.update_referral(waiting.seq, status="counted", year_number=year_number,
                                           decided_at=utcnow(), **{VALUE_COLUMNS[k]: v for k, v in value.items()})
        await uow.capacity.bump_year(contract_id, waiting.year_number, waitlisted=-1)
        year = await uow.capacity.lock_year(contract_id, year_number)  # re-read after the waitlist change
        await _counted(uow, head, year, decision, waiting.referral_id, value, utcnow().date(), from_waitlist=True)
        promoted += 1


async def record_withdrawn(uow: ContractsUnitOfWork, event: ReferralWithdrawn) -> None:
    """A withdrawal before delivery started frees the place for the oldest waiting referral."""
    referral_id = str(event.referral_id)
    if await uow.capacity.drop_unmatched(referral_id):
        return
    found = await uow.capacity.referral(referral_id)
    if found is None or found.status == "withdrawn":
        return
    head = await uow.capacity.head(found.contract_id)
    year = await uow.capacity.lock_year(found.contract_id, found.year_number)
    row = await uow.capacity.referral(referral_id, for_update=True)
    if row.status == "withdrawn":
        return
    await uow.capacity.update_referral(row.seq, status="withdrawn")
    today = utcnow().date()
    await uow.capacity.bump_week(head.id, row.year_number, today, withdrawn=1)
    if row.status == "waitlisted":
        await uow.capacity.bump_year(head.id, row.year_number, waitlisted=-1, withdrawn=1)
        return
    if event.delivery_started:
        await uow.capacity.bump_year(head.id, row.year_number, withdrawn=1)
        return
    decision = release(year_volume(head, year))
    await uow.capacity.update_year(
        head.id, row.year_number, volume=decision.volume, band=decision.band, withdrawn=year.withdrawn + 1,
        value_low=year.value_low - row.value_low, value_medium=year.value_medium - row.value_medium,
        value_high=year.value_high - row.value_high, updated_at=utcnow())
    _band_event(uow, head, year, decision)
    await check_year(uow, head, year, today, volume=decision.volume, kinds=AFTER_RELEASE)
    await promote_waitlisted(uow, head.id, row.year_number)


async def record_started(uow: ContractsUnitOfWork, event: ReferralAssessmentAttended) -> None:
    """Delivery started: the initial assessment was attended (on time or late); counted once."""
    if event.attendance not in ("attended", "late"):
        return
    await _mark(uow, str(event.referral_id), "started")


async def record_completed(uow: ContractsUnitOfWork, event: ReferralCompleted) -> None:
    """The referral completed; counted once."""
    await _mark(uow, str(event.referral_id), "completed")


async def _mark(uow: ContractsUnitOfWork, referral_id: str, flag: str) -> None:
    row = await uow.capacity.referral(referral_id)
    if row is None or row.status != "counted":
        return
    if await uow.capacity.mark_once(row.seq, flag):
        await uow.capacity.bump_year(row.contract_id, row.year_number, **{flag: 1})
        await uow.capacity.bump_week(row.contract_id, row.year_number, utcnow().date(), **{flag: 1})


async def promote_for_current_years(uow: ContractsUnitOfWork, today: date) -> int:
    """A new contract year brings new places: count waiting referrals into the current year."""
    promoted = 0
    for contract_id in await uow.capacity.contracts_with_waitlist():
        contract = await uow.contracts.get(contract_id)
        current = contract.year_on(today) if contract else None
        if current is not None:
            promoted += await promote_waitlisted(uow, contract_id, current.number)
    return promoted
