"""Referrals walked through every path on real PostgreSQL and Kafka; each event published once."""
from __future__ import annotations

import uuid

import pytest
import pytest_asyncio

from crs_shared.events import topics
from tests.referrals import support as s
from tests.referrals.walk import STAGES, Catalogue, catalogue, record_session, report, submit, walk_to

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def cat(platform) -> Catalogue:
    return await catalogue(platform.referrals)


async def test_completed_path_emits_each_event_once(platform, cat: Catalogue) -> None:
    svc = platform.referrals
    rid = await walk_to(svc, cat, "in_delivery", sessions=2)
    await record_session(svc, cat, rid, "late")
    body = await report(svc, cat, rid)
    assert body["state"] == "completed" and body["allowed_actions"] == []
    assert all(d["resolved_at"] for d in body["deadlines"])
    log = (await svc.client.get(f"/v1/referrals/{rid}/transitions", headers=s.practitioner())).json()
    assert [t["to_state"] for t in log] == [
        "submitted", "sent", "accepted", "assigned", "assessment_booked", "assessment_attended",
        "action_plan_submitted", "in_delivery", "in_delivery", "completed"]
    counts = await s.published(svc, 11, key=rid)
    assert counts == {
        "referral.submitted": 1, "referral.sent": 1, "referral.accepted": 1, "referral.assigned": 1,
        "referral.assessment_booked": 1, "referral.assessment_attended": 1, "referral.action_plan_submitted": 1,
        "referral.session_recorded": 2, "referral.end_of_service_report_submitted": 1, "referral.completed": 1,
    }


async def test_a_missed_session_ends_early(platform, cat: Catalogue) -> None:
    svc = platform.referrals
    rid = await walk_to(svc, cat, "in_delivery", sessions=3)
    await record_session(svc, cat, rid, "did_not_attend")
    assert (await report(svc, cat, rid))["state"] == "ended_early"


async def test_no_session_attended_cancels(platform, cat: Catalogue) -> None:
    svc = platform.referrals
    rid = await walk_to(svc, cat, "action_plan_submitted", sessions=2)
    await record_session(svc, cat, rid, "did_not_attend")
    assert (await report(svc, cat, rid))["state"] == "cancelled"


async def test_declined_by_the_provider(platform, cat: Catalogue) -> None:
    svc = platform.referrals
    rid = await walk_to(svc, cat, "sent")
    r = await svc.client.post(f"/v1/partner/referrals/{rid}/decline", headers=s.provider(cat.prime),
                              json={"reason_code": "NO_CAPACITY", "comment": "full"})
    assert r.status_code == 422 and r.json()["errors"][0] == {
        "field": "reason_code", "code": "unknown_reason_code", "message": r.json()["errors"][0]["message"]}
    r = await svc.client.post(f"/v1/partner/referrals/{rid}/decline", headers=s.provider(cat.prime),
                              json={"reason_code": "AT_CAPACITY", "comment": "full"})
    assert r.status_code == 200 and r.json()["state"] == "declined"
    again = await svc.client.post(f"/v1/partner/referrals/{rid}/accept", headers=s.provider(cat.prime))
    assert again.status_code == 409
    assert again.json()["current_state"] == "declined" and again.json()["allowed_actions"] == []


@pytest.mark.parametrize("stage", STAGES)
async def test_withdrawn_at_each_stage(platform, cat: Catalogue, stage: str) -> None:
    svc = platform.referrals
    rid = await walk_to(svc, cat, stage)
    r = await svc.client.post(f"/v1/referrals/{rid}/withdraw", headers=s.practitioner(),
                              json={"reason_code": "MOV", "comment": "moved away"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["state"] == "withdrawn"
    started = stage in ("assessment_attended", "action_plan_submitted", "in_delivery")
    assert body["withdrawal"]["previous_state"] == stage and body["withdrawal"]["delivery_started"] is started
    assert all(d["resolved_at"] for d in body["deadlines"])


async def test_withdraw_needs_a_catalogue_reason_code(platform, cat: Catalogue) -> None:
    svc = platform.referrals
    rid = (await submit(svc, cat))["id"]
    r = await svc.client.post(f"/v1/referrals/{rid}/withdraw", headers=s.practitioner(), json={"reason_code": "ZZZ"})
    assert r.status_code == 422
    assert r.json()["errors"][0] == {"field": "reason_code", "code": "unknown_reason_code",
                                     "message": r.json()["errors"][0]["message"]}


async def test_waitlisted_then_counted(platform, cat: Catalogue) -> None:
    svc = platform.referrals
    rid = (await submit(svc, cat))["id"]
    await s.publish(svc, topics.CONTRACTS, s.waitlisted_event(uuid.UUID(rid)))
    await s.state_of(svc, rid, s.practitioner(), "waitlisted")
    hidden = await svc.client.get(f"/v1/partner/referrals/{rid}", headers=s.provider(cat.prime))
    assert hidden.status_code == 404  # not visible to the provider until counted
    await s.publish(svc, topics.CONTRACTS, s.counted_event(uuid.UUID(rid), from_waitlist=True))
    await s.state_of(svc, rid, s.practitioner(), "sent")
    seen = await svc.client.get(f"/v1/partner/referrals/{rid}", headers=s.provider(cat.prime))
    assert seen.status_code == 200
    assert [d["sla"] for d in seen.json()["deadlines"]] == ["provider_response"]
    counts = await s.published(svc, 3, key=rid)
    assert counts == {"referral.submitted": 1, "referral.waitlisted": 1, "referral.sent": 1}


async def test_a_waitlisted_referral_is_redirected_to_another_intervention(platform, cat: Catalogue) -> None:
    svc = platform.referrals
    other = s.intervention_event(prime=uuid.uuid4(), contract_reference="CR-ACC-2")
    await s.known_intervention(svc, other)
    rid = (await submit(svc, cat))["id"]
    await s.publish(svc, topics.CONTRACTS, s.waitlisted_event(uuid.UUID(rid)))
    await s.state_of(svc, rid, s.practitioner(), "waitlisted")
    r = await svc.client.post(f"/v1/referrals/{rid}/redirect", headers=s.practitioner(),
                              json={"intervention_id": other.data["intervention_id"]})
    assert r.status_code == 201, r.text
    new = r.json()
    assert new["state"] == "submitted" and new["redirected_from"] == rid
    assert new["intervention_id"] == other.data["intervention_id"] and new["reference"].endswith("ACC")
    old = await s.state_of(svc, rid, s.practitioner(), "withdrawn")
    assert old["withdrawal"]["redirected_to"] == new["id"]
    assert (await s.published(svc, 1, key=new["id"])) == {"referral.submitted": 1}


async def test_a_duplicate_capacity_event_changes_nothing(platform, cat: Catalogue) -> None:
    svc = platform.referrals
    rid = await walk_to(svc, cat, "sent")
    late = [s.counted_event(uuid.UUID(rid)), s.waitlisted_event(uuid.UUID(rid))]
    await s.publish(svc, topics.CONTRACTS, *late)
    await s.handled(svc, *late)
    await svc.client.post(f"/v1/partner/referrals/{rid}/accept", headers=s.provider(cat.prime))
    counts = await s.published(svc, 3, key=rid)
    assert counts == {"referral.submitted": 1, "referral.sent": 1, "referral.accepted": 1}
