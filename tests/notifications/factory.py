"""Real event envelopes for notifications tests, published through the platform's transport."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from crs_shared.events import catalogue, contracts, referrals
from crs_shared.events.envelope import EventData, EventEnvelope, build_event
from crs_shared.transport.base import OutgoingMessage


def envelope(data: EventData, producer: str = "test") -> EventEnvelope:
    ids = {k: str(getattr(data, k)) for k in ("referral_id", "contract_id", "caseworker_id", "provider_id")
           if hasattr(data, k)}
    return build_event(data, producer=producer, subject=dict(list(ids.items())[:1]))


async def publish(service: Any, *envelopes: EventEnvelope) -> None:
    await service.runtime.transport.publisher().publish([
        OutgoingMessage(topic=type(e.payload()).topic, key=e.key, value=e.model_dump_json().encode(),
                        headers={"event_type": e.type, "event_id": str(e.event_id)})
        for e in envelopes
    ])


def provider(provider_id: uuid.UUID, mailbox: str) -> EventEnvelope:
    return envelope(catalogue.ProviderRegistered(
        provider_id=provider_id, name="Helping Hands", organisation_type="VCSE", status="active",
        referral_mailbox=mailbox))


def caseworker(caseworker_id: uuid.UUID, provider_id: uuid.UUID, email: str, active: bool = True) -> EventEnvelope:
    return envelope(catalogue.CaseworkerAdded(caseworker_id=caseworker_id, provider_id=provider_id, email=email,
                                              name="Sam Caseworker", active=active))


def submitted(referral_id: uuid.UUID, provider_id: uuid.UUID, *, reference: str, practitioner_id: str,
              practitioner_email: str | None, region: str = "B") -> EventEnvelope:
    return envelope(referrals.ReferralSubmitted(
        referral_id=referral_id, reference=reference, intervention_id=uuid.uuid4(), intervention_version=1,
        contract_reference="CR-0001", contract_type="ACC", prime_provider_id=provider_id, region_code=region,
        complexity={"ACC": "LOW"}, practitioner_id=practitioner_id, practitioner_email=practitioner_email,
        submitted_at=datetime.now(UTC)))


def referral_event(kind: str, referral_id: uuid.UUID, reference: str, **fields: Any) -> EventEnvelope:
    """Any referral event by its type name, e.g. referral_event("sent", rid, ref, prime_provider_id=p)."""
    now = datetime.now(UTC)
    defaults: dict[str, dict[str, Any]] = {
        "referral.assessment_booked": dict(appointment_id=uuid.uuid4(), starts_at=now + timedelta(days=2),
                                           duration_minutes=60, method="phone"),
        "referral.assessment_attended": dict(appointment_id=uuid.uuid4()),
        "referral.sla_breached": dict(due_at=now),
        "referral.end_of_service_report_submitted": dict(outcomes={"ACC1": "achieved"}),
        "referral.case_note_added": dict(case_note_id=uuid.uuid4()),
    }
    event_type = f"referral.{kind}"
    cls = next(c for c in vars(referrals).values()
               if isinstance(c, type) and issubclass(c, EventData) and getattr(c, "event_type", "") == event_type)
    return envelope(cls(referral_id=referral_id, reference=reference, **{**defaults.get(event_type, {}), **fields}))


def threshold(region: str, percent: int) -> EventEnvelope:
    return envelope(contracts.ContractVolumeThresholdReached(
        contract_id=uuid.uuid4(), contract_reference="CR-0001", contract_year=1, threshold_percent=percent,
        volume=percent, volume_cap=100, region_code=region))


def band_changed(region: str) -> EventEnvelope:
    return envelope(contracts.ContractBandChanged(
        contract_id=uuid.uuid4(), contract_reference="CR-0002", contract_year=1, previous_band=1, band=2,
        volume=40, band_value=Decimal("100000.00"), region_code=region))


def at_risk(region: str) -> EventEnvelope:
    return envelope(contracts.ContractAtRisk(
        contract_id=uuid.uuid4(), contract_reference="CR-0003", contract_year=1, risk="over_cap",
        projected_volume=130, region_code=region))
