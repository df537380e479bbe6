"""Helpers for the contracts service's integration tests: award payloads, referral events."""
from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select

from crs_shared.events import build_event, topics
from crs_shared.events.referrals import ReferralAssessmentAttended, ReferralSubmitted, ReferralWithdrawn
from crs_shared.transport.base import IncomingMessage, OutgoingMessage

from contracts.adapters import tables as t

BANDS = [{"low": 0, "high": 4, "value": "50000"}, {"low": 5, "high": 7, "value": "60000"},
         {"low": 8, "high": 9, "value": "70000"}, {"low": 10, "high": 12, "value": "80000"}]
UNIT_COSTS = {"LOW": "400", "MEDIUM": "700", "HIGH": "1100"}
THIS_YEAR_START = date(date.today().year - (1 if date.today().month < 4 else 0), 4, 1)


def award_body(*, reference: str | None = None, cap: int = 10, policy: str = "hard", bands: list | None = None,
               prime: uuid.UUID | None = None, subs: list[uuid.UUID] | None = None, **overrides: Any) -> dict:
    start = THIS_YEAR_START
    body = {
        "reference": reference or f"ACC{uuid.uuid4().hex[:6].upper()}",
        "title": "Accommodation, North East", "commissioner_region": "A", "contract_type": "ACC",
        "prime_provider_id": str(prime or uuid.uuid4()), "prime_provider_name": "Northern Homes CIC",
        "subcontractor_provider_ids": [str(s) for s in (subs or [])], "supplier_status": "VCSE",
        "area_kind": "pcc_area", "area_code": "durham", "start_date": start.isoformat(),
        "end_date": date(start.year + 2, 3, 31).isoformat(), "cap_policy": policy,
        "years": [{"fixed_price": "80000", "volume_estimate": 8, "volume_cap": cap,
                   "unit_costs": UNIT_COSTS, "bands": BANDS if bands is None else bands}] * 2,
    }
    body.update(overrides)
    return body


def submitted(contract_reference: str, *, referral_id: uuid.UUID | None = None,
              submitted_at: datetime | None = None, complexity: dict[str, str] | None = None):
    data = ReferralSubmitted(
        referral_id=referral_id or uuid.uuid4(), reference="AB1234AC", intervention_id=uuid.uuid4(),
        intervention_version=1, contract_reference=contract_reference, contract_type="ACC",
        prime_provider_id=uuid.uuid4(), region_code="A", complexity=complexity or {"ACC": "HIGH"},
        practitioner_id="pp-1", submitted_at=submitted_at or datetime.now(UTC))
    return build_event(data, producer="referrals", subject={"referral_id": str(data.referral_id)})


def withdrawn(referral_id: uuid.UUID, *, delivery_started: bool = False):
    data = ReferralWithdrawn(referral_id=referral_id, reason_code="INE", previous_state="sent",
                             delivery_started=delivery_started)
    return build_event(data, producer="referrals", subject={"referral_id": str(referral_id)})


def attended(referral_id: uuid.UUID):
    data = ReferralAssessmentAttended(referral_id=referral_id, appointment_id=uuid.uuid4(), attendance="late")
    return build_event(data, producer="referrals", subject={"referral_id": str(referral_id)})


async def publish(service: Any, *envelopes: Any) -> None:
    """Put referral events on the real transport, as the referrals service's relay would."""
    await service.runtime.transport.publisher().publish([
        OutgoingMessage(topic=topics.REFERRALS, key=e.key, value=e.model_dump_json().encode()) for e in envelopes])


def message(envelope: Any, offset: int = 0) -> IncomingMessage:
    return IncomingMessage(topic=topics.REFERRALS, partition=0, offset=offset, key=envelope.key,
                           value=envelope.model_dump_json().encode())


async def contract_events(service: Any, event_type: str) -> list[dict]:
    """Events this service wrote to its outbox (what it publishes)."""
    import json
    async with service.runtime.sessions() as session:
        rows = (await session.execute(select(t.outbox_messages.c.payload)
                                      .where(t.outbox_messages.c.event_type == event_type)
                                      .order_by(t.outbox_messages.c.id))).scalars().all()
    return [json.loads(r) for r in rows]


async def referral_statuses(service: Any, contract_id: str) -> dict[str, str]:
    async with service.runtime.sessions() as session:
        rows = (await session.execute(select(t.contract_referrals.c.referral_id, t.contract_referrals.c.status)
                                      .where(t.contract_referrals.c.contract_id == contract_id))).all()
    return {r.referral_id: r.status for r in rows}
