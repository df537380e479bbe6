"""Moves a referral through the lifecycle via the real APIs and real contract events."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from crs_shared.events import topics
from tests.referrals import support as s

STAGES = ("submitted", "sent", "accepted", "assigned", "assessment_booked", "assessment_attended",
          "action_plan_submitted", "in_delivery")


@dataclass
class Catalogue:
    intervention_id: uuid.UUID
    prime: uuid.UUID
    sub: uuid.UUID
    caseworker_id: uuid.UUID


async def catalogue(svc: Any) -> Catalogue:
    prime, sub = uuid.uuid4(), uuid.uuid4()
    envelope = s.intervention_event(prime=prime, subs=(sub,))
    await s.known_intervention(svc, envelope)
    caseworker = await s.known_caseworker(svc, prime)
    return Catalogue(uuid.UUID(envelope.data["intervention_id"]), prime, sub, caseworker)


async def submit(svc: Any, cat: Catalogue, headers: dict[str, str] | None = None, **overrides: Any) -> dict[str, Any]:
    r = await svc.client.post("/v1/referrals/submit", json=s.referral_body(cat.intervention_id, **overrides),
                              headers={**(headers or s.practitioner()), "Idempotency-Key": str(uuid.uuid4())})
    assert r.status_code == 201, r.text
    return r.json()


def ok(r: Any) -> dict[str, Any]:
    assert r.status_code in (200, 201), r.text
    return r.json()


async def walk_to(svc: Any, cat: Catalogue, stage: str, *, sessions: int = 2) -> str:
    """A new referral in `stage`; returns its id."""
    referral = await submit(svc, cat)
    rid = referral["id"]
    steps = STAGES[1:STAGES.index(stage) + 1]
    pp, pr, base = s.practitioner(), s.provider(cat.prime), f"/v1/partner/referrals/{rid}"
    c = svc.client
    for step in steps:
        if step == "sent":
            await s.publish(svc, topics.CONTRACTS, s.counted_event(uuid.UUID(rid)))
            await s.state_of(svc, rid, pp, "sent")
        elif step == "accepted":
            ok(await c.post(f"{base}/accept", headers=pr))
        elif step == "assigned":
            ok(await c.put(f"{base}/caseworker", json={"caseworker_id": str(cat.caseworker_id)}, headers=pr))
        elif step == "assessment_booked":
            starts = (datetime.now(UTC) + timedelta(days=2)).isoformat()
            ok(await c.put(f"{base}/assessment", json={"starts_at": starts, "duration_minutes": 60,
                                                       "method": "video"}, headers=pr))
        elif step == "assessment_attended":
            ok(await c.post(f"{base}/assessment/attendance", json={"attendance": "attended", "feedback": "engaged"},
                            headers=pr))
        elif step == "action_plan_submitted":
            ok(await c.put(f"{base}/action-plan", json={"activities": ["find a tenancy", "budgeting"],
                                                        "number_of_sessions": sessions}, headers=pr))
        elif step == "in_delivery":
            await record_session(svc, cat, rid, "attended")
    return rid


async def record_session(svc: Any, cat: Catalogue, rid: str, attendance: str) -> dict[str, Any]:
    return ok(await svc.client.post(f"/v1/partner/referrals/{rid}/sessions", headers=s.provider(cat.prime), json={
        "attendance": attendance, "held_at": datetime.now(UTC).isoformat(), "feedback": "ok"}))


async def report(svc: Any, cat: Catalogue, rid: str) -> dict[str, Any]:
    outcomes = {code: {"achievement": "achieved", "comments": "secured"} for code in s.OUTCOMES}
    return ok(await svc.client.post(f"/v1/partner/referrals/{rid}/end-of-service-report",
                                    json={"outcomes": outcomes}, headers=s.provider(cat.prime)))
