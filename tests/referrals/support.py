"""Helpers for the referrals integration tests: catalogue and contract events, bodies, topic reads."""
from __future__ import annotations

import json
import uuid
from collections import Counter
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from crs_shared.events import build_event, topics
from crs_shared.events.catalogue import CaseworkerAdded, CategoryOffer, Eligibility, InterventionPublished
from crs_shared.events.contracts import ContractReferralCounted, ContractReferralWaitlisted
from crs_shared.transport.base import OutgoingMessage
from referrals.adapters.tables import caseworkers, inbox_messages, intervention_versions
from tests.harness import auth, eventually

OUTCOMES = ["ACC-SECURE", "ACC-SUSTAIN"]


def practitioner(subject: str = "pp-1", team: str = "T1", region: str = "A") -> dict[str, str]:
    return auth("practitioner", subject=subject, team_code=team, region_code=region,
                email=f"{subject}@probation.example")


def provider(provider_id: uuid.UUID) -> dict[str, str]:
    return auth("provider", organisation_id=str(provider_id))


async def publish(svc: Any, topic: str, *envelopes: Any) -> None:
    """Put events on the real transport, as the producing service's relay would."""
    await svc.runtime.transport.publisher().publish([
        OutgoingMessage(topic=topic, key=e.key, value=e.model_dump_json().encode()) for e in envelopes])


def intervention_event(*, prime: uuid.UUID, subs: tuple[uuid.UUID, ...] = (), version: int = 1,
                       intervention_id: uuid.UUID | None = None, contract_reference: str = "CR-ACC-1",
                       minimum_age: int = 18, **overrides: Any):
    data = InterventionPublished(
        intervention_id=intervention_id or uuid.uuid4(), version=version, title="Accommodation support",
        contract_type="ACC",
        service_categories=[CategoryOffer(code="ACC", complexity_levels=["LOW", "MEDIUM", "HIGH"],
                                          desired_outcome_codes=OUTCOMES)],
        area_kind="region", area_code="A", region_code="A", covered_pcc_areas=["durham", "northumbria"],
        eligibility=Eligibility(minimum_age=minimum_age, maximum_age=None, allows_male=True, allows_female=True),
        prime_provider_id=prime, subcontractor_provider_ids=list(subs), contract_reference=contract_reference,
        open_from=date.today() - timedelta(days=30), open_to=date.today() + timedelta(days=300), **overrides,
    )
    return build_event(data, producer="providers", subject={"intervention_id": str(data.intervention_id)})


def caseworker_event(provider_id: uuid.UUID, caseworker_id: uuid.UUID | None = None):
    data = CaseworkerAdded(caseworker_id=caseworker_id or uuid.uuid4(), provider_id=provider_id,
                           email="cw@provider.example", name="Case Worker")
    return build_event(data, producer="providers", subject={"caseworker_id": str(data.caseworker_id)})


def counted_event(referral_id: uuid.UUID, *, from_waitlist: bool = False, contract_id: uuid.UUID | None = None):
    data = ContractReferralCounted(contract_id=contract_id or uuid.uuid4(), contract_reference="CR-ACC-1",
                                   referral_id=referral_id, contract_year=1, region_code="A", volume=1,
                                   volume_cap=10, from_waitlist=from_waitlist)
    return build_event(data, producer="contracts", subject={"contract_id": str(data.contract_id)})


def waitlisted_event(referral_id: uuid.UUID):
    data = ContractReferralWaitlisted(contract_id=uuid.uuid4(), contract_reference="CR-ACC-1",
                                      referral_id=referral_id, contract_year=1, region_code="A", position=1)
    return build_event(data, producer="contracts", subject={"contract_id": str(data.contract_id)})


async def known_intervention(svc: Any, envelope: Any) -> None:
    """Publish an intervention and wait until the referrals service has its copy."""
    await publish(svc, topics.CATALOGUE, envelope)
    iid, version = uuid.UUID(envelope.data["intervention_id"]), envelope.data["version"]

    async def stored() -> bool:
        async with svc.runtime.sessions() as session:
            return (await session.execute(select(intervention_versions.c.version).where(
                intervention_versions.c.intervention_id == iid,
                intervention_versions.c.version == version))).first() is not None

    await eventually(stored)


async def known_caseworker(svc: Any, provider_id: uuid.UUID) -> uuid.UUID:
    envelope = caseworker_event(provider_id)
    await publish(svc, topics.CATALOGUE, envelope)
    cid = uuid.UUID(envelope.data["caseworker_id"])

    async def stored() -> bool:
        async with svc.runtime.sessions() as session:
            return (await session.execute(select(caseworkers.c.caseworker_id).where(
                caseworkers.c.caseworker_id == cid))).first() is not None

    await eventually(stored)
    return cid


def referral_body(intervention_id: uuid.UUID | str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "intervention_id": str(intervention_id),
        "person": {"crn": "X123456", "first_name": "Alex", "last_name": "Example", "date_of_birth": "1990-05-01",
                   "sex": "female", "ethnicity": "Mixed", "preferred_language": "English",
                   "needs_interpreter": False, "accessibility_needs": "step-free access"},
        "pcc_area_code": "durham",
        "categories": [{"code": "ACC", "complexity": "MEDIUM"}],
        "desired_outcomes": list(OUTCOMES),
        "reason_for_referral": "At risk of homelessness on release",
        "risk_information": "No known risk to staff",
        "completion_deadline": (date.today() + timedelta(days=120)).isoformat(),
        "location": {"kind": "custody", "prison_code": "DMI", "expected_release_date":
                     (date.today() + timedelta(days=20)).isoformat()},
        "practitioner_contact": {"name": "Pat Practitioner", "email": "pp-1@probation.example", "phone": "0100"},
    }
    body.update(overrides)
    return body


async def state_of(svc: Any, referral_id: str, headers: dict[str, str], expected: str) -> dict[str, Any]:
    async def reached() -> dict[str, Any] | None:
        r = await svc.client.get(f"/v1/referrals/{referral_id}", headers=headers)
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["state"] == expected, body["state"]
        return body

    return await eventually(reached)


async def published(svc: Any, expected_total: int, *, key: str | None = None,
                    timeout: float = 30.0) -> Counter[str]:
    """Read the referrals topic from the start with a fresh consumer group; count event types."""
    subscriber = svc.runtime.transport.subscriber(f"probe-{uuid.uuid4().hex[:8]}", [topics.REFERRALS])
    await subscriber.start()
    seen: list[dict[str, Any]] = []
    try:
        async def enough() -> bool:
            for m in await subscriber.poll(1000, 0.5):
                envelope = json.loads(m.value)
                if key is None or m.key == key:
                    seen.append(envelope)
            return len(seen) >= expected_total

        await eventually(enough, timeout=timeout, interval=0)
        # Read a little longer so a duplicate would be noticed.
        for _ in range(3):
            for m in await subscriber.poll(1000, 0.3):
                if key is None or m.key == key:
                    seen.append(json.loads(m.value))
    finally:
        await subscriber.stop()
    ids = [e["event_id"] for e in seen]
    assert len(ids) == len(set(ids)), "an event was published twice"
    return Counter(e["type"] for e in seen)


async def handled(svc: Any, *envelopes: Any) -> None:
    """Wait until the service's consumers recorded these events in their inbox."""
    ids = {str(e.event_id) for e in envelopes}

    async def done() -> bool:
        async with svc.runtime.sessions() as session:
            rows = (await session.execute(select(inbox_messages.c.event_id).where(
                inbox_messages.c.event_id.in_(ids)))).scalars().all()
        return set(rows) == ids

    await eventually(done)
