"""Submit (idempotent, checked against the local catalogue), amend, case notes, search, and access rules."""
from __future__ import annotations

import asyncio
import uuid
from datetime import date, timedelta

import pytest
import pytest_asyncio
from sqlalchemy import func, select

from crs_shared.events import build_event, topics
from crs_shared.events.catalogue import InterventionClosed
from referrals.adapters.tables import referrals
from tests.harness import auth
from tests.referrals import support as s
from tests.referrals.walk import Catalogue, catalogue, submit, walk_to

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def cat(platform) -> Catalogue:
    return await catalogue(platform.referrals)


async def count_referrals(svc, crn: str) -> int:
    async with svc.runtime.sessions() as session:
        return (await session.execute(select(func.count()).where(referrals.c.crn == crn))).scalar_one()


async def test_concurrent_retries_of_one_submit_make_one_referral(platform, cat: Catalogue) -> None:
    svc = platform.referrals
    crn = f"C{uuid.uuid4().int % 10**6:06d}"
    body = s.referral_body(cat.intervention_id, person={**s.referral_body(cat.intervention_id)["person"], "crn": crn})
    headers = {**s.practitioner(), "Idempotency-Key": "submit-" + uuid.uuid4().hex}
    responses = await asyncio.gather(*[svc.client.post("/v1/referrals/submit", json=body, headers=headers)
                                       for _ in range(6)])
    assert {r.status_code for r in responses} == {201}
    assert len({r.json()["id"] for r in responses}) == 1
    assert len({r.json()["reference"] for r in responses}) == 1
    assert sorted(r.headers["Idempotent-Replayed"] for r in responses) == ["false"] + ["true"] * 5
    assert await count_referrals(svc, crn) == 1
    assert (await s.published(svc, 1, key=responses[0].json()["id"])) == {"referral.submitted": 1}
    other = await svc.client.post("/v1/referrals/submit", headers=headers,
                                  json={**body, "reason_for_referral": "something else"})
    assert other.status_code == 422
    assert other.json()["errors"][0]["code"] == "idempotency_key_reused"


async def test_draft_then_submit_gives_a_reference(platform, cat: Catalogue) -> None:
    svc = platform.referrals
    pp = s.practitioner()
    draft = await svc.client.post("/v1/referrals", headers=pp, json={"intervention_id": str(cat.intervention_id)})
    assert draft.status_code == 201 and draft.json()["state"] == "draft" and draft.json()["reference"] is None
    rid = draft.json()["id"]
    incomplete = await svc.client.post(f"/v1/referrals/{rid}/submit", headers=pp)
    assert incomplete.status_code == 422
    assert {"field": "person.date_of_birth", "code": "required"} in [
        {k: e[k] for k in ("field", "code")} for e in incomplete.json()["errors"]]
    updated = await svc.client.put(f"/v1/referrals/{rid}", headers=pp, json=s.referral_body(cat.intervention_id))
    assert updated.status_code == 200
    key = {"Idempotency-Key": uuid.uuid4().hex}
    first = await svc.client.post(f"/v1/referrals/{rid}/submit", headers={**pp, **key})
    again = await svc.client.post(f"/v1/referrals/{rid}/submit", headers={**pp, **key})
    assert first.status_code == again.status_code == 200
    assert first.json()["reference"] == again.json()["reference"]
    assert first.json()["reference"][:2].isalpha() and first.json()["reference"].endswith("ACC")
    assert (await svc.client.post(f"/v1/referrals/{rid}/submit", headers=pp)).status_code == 409


@pytest.mark.parametrize(("change", "field", "code"), [
    ({"person": {"crn": "X123456", "first_name": "A", "last_name": "B", "sex": "male",
                 "date_of_birth": (date.today() - timedelta(days=365 * 16)).isoformat()}},
     "person.date_of_birth", "below_minimum_age"),
    ({"pcc_area_code": "kent"}, "pcc_area_code", "area_not_covered"),
    ({"categories": [{"code": "ETE", "complexity": "LOW"}]}, "categories.0.code", "unknown_category"),
    ({"desired_outcomes": ["ETE-JOB"]}, "desired_outcomes.0", "unknown_outcome"),
    ({"completion_deadline": date.today().isoformat()}, "completion_deadline", "deadline_not_in_future"),
    ({"intervention_id": str(uuid.uuid4())}, "intervention_id", "unknown_intervention"),
])
async def test_intake_checks_answer_422_with_field_detail(platform, cat: Catalogue, change, field, code) -> None:
    svc = platform.referrals
    r = await svc.client.post("/v1/referrals/submit", json={**s.referral_body(cat.intervention_id), **change},
                              headers={**s.practitioner(), "Idempotency-Key": uuid.uuid4().hex})
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert (field, code) in [(e["field"], e["code"]) for e in r.json()["errors"]]


async def test_a_closed_intervention_takes_no_referrals(platform) -> None:
    svc = platform.referrals
    opened = s.intervention_event(prime=uuid.uuid4())
    await s.known_intervention(svc, opened)
    closed = build_event(InterventionClosed(**{**opened.payload().model_dump()}), producer="providers",
                         subject=opened.subject)
    await s.publish(svc, topics.CATALOGUE, closed)
    await s.handled(svc, closed)
    r = await svc.client.post("/v1/referrals/submit", json=s.referral_body(opened.data["intervention_id"]),
                              headers={**s.practitioner(), "Idempotency-Key": uuid.uuid4().hex})
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "intervention_not_open"


async def test_a_referral_keeps_the_version_it_was_made_against(platform) -> None:
    svc = platform.referrals
    prime, new_sub = uuid.uuid4(), uuid.uuid4()
    v1 = s.intervention_event(prime=prime)
    await s.known_intervention(svc, v1)
    cat = Catalogue(uuid.UUID(v1.data["intervention_id"]), prime, new_sub, uuid.uuid4())
    rid = await walk_to(svc, cat, "sent")
    v2 = s.intervention_event(prime=prime, subs=(new_sub,), version=2, intervention_id=cat.intervention_id)
    await s.known_intervention(svc, v2)
    assert (await svc.client.get(f"/v1/partner/referrals/{rid}", headers=s.provider(new_sub))).status_code == 404
    later = await walk_to(svc, cat, "sent")
    body = (await svc.client.get(f"/v1/partner/referrals/{later}", headers=s.provider(new_sub))).json()
    assert body["intervention_version"] == 2


async def test_amend_keeps_a_change_log(platform, cat: Catalogue) -> None:
    svc = platform.referrals
    rid = await walk_to(svc, cat, "sent")
    deadline = (date.today() + timedelta(days=200)).isoformat()
    r = await svc.client.post(f"/v1/referrals/{rid}/amendments", headers=s.practitioner(), json={
        "reason": "release date moved", "changes": {"completion_deadline": deadline,
                                                    "categories": [{"code": "ACC", "complexity": "HIGH"}],
                                                    "accessibility_needs": "ground floor"}})
    assert r.status_code == 200, r.text
    assert r.json()["content"]["person"]["accessibility_needs"] == "ground floor"
    log = (await svc.client.get(f"/v1/referrals/{rid}/amendments", headers=s.practitioner())).json()
    assert [(a["field"], a["new_value"]) for a in log] == [
        ("completion_deadline", deadline), ("categories", [{"code": "ACC", "complexity": "HIGH"}]),
        ("person.accessibility_needs", "ground floor")]
    assert log[0]["actor_id"] == "pp-1" and log[0]["reason"] == "release date moved"
    bad = await svc.client.post(f"/v1/referrals/{rid}/amendments", headers=s.practitioner(), json={
        "reason": "x", "changes": {"desired_outcomes": ["NOPE"]}})
    assert bad.status_code == 422
    counts = await s.published(svc, 3, key=rid)
    assert counts["referral.amended"] == 1


async def test_case_notes_go_both_ways(platform, cat: Catalogue) -> None:
    svc = platform.referrals
    rid = await walk_to(svc, cat, "accepted")
    pp, pr = s.practitioner(), s.provider(cat.prime)
    assert (await svc.client.post(f"/v1/referrals/{rid}/case-notes", headers=pp,
                                  json={"subject": "Release", "body": "Release date confirmed"})).status_code == 201
    assert (await svc.client.post(f"/v1/partner/referrals/{rid}/case-notes", headers=pr,
                                  json={"subject": "Contact", "body": "First contact made"})).status_code == 201
    for path, headers in ((f"/v1/referrals/{rid}/case-notes", pp), (f"/v1/partner/referrals/{rid}/case-notes", pr)):
        notes = (await svc.client.get(path, headers=headers)).json()
        assert [n["author_role"] for n in notes] == ["practitioner", "provider"]
    stranger = await svc.client.get(f"/v1/partner/referrals/{rid}/case-notes", headers=s.provider(uuid.uuid4()))
    assert stranger.status_code == 404


async def test_practitioner_access_rules(platform, cat: Catalogue) -> None:
    svc = platform.referrals
    rid = (await submit(svc, cat))["id"]
    teammate = s.practitioner("pp-2", team="T1")
    stranger = s.practitioner("pp-3", team="T9")
    assert (await svc.client.get(f"/v1/referrals/{rid}", headers=teammate)).status_code == 200
    for method, path, body in (("get", "", None), ("post", "/withdraw", {"reason_code": "MOV"}),
                               ("post", "/amendments", {"reason": "r", "changes": {"preferred_language": "Welsh"}}),
                               ("get", "/transitions", None), ("post", "/case-notes", {"subject": "s", "body": "b"})):
        r = await svc.client.request(method, f"/v1/referrals/{rid}{path}", headers=stranger, json=body)
        assert r.status_code == 404, (path, r.status_code)
    listed = (await svc.client.get("/v1/referrals", headers=stranger, params={"reference": None})).json()
    assert rid not in [i["id"] for i in listed["items"]]
    assert (await svc.client.get(f"/v1/referrals/{rid}")).status_code == 401


async def test_provider_access_rules(platform, cat: Catalogue) -> None:
    svc = platform.referrals
    submitted_only = (await submit(svc, cat))["id"]
    rid = await walk_to(svc, cat, "sent")
    assert (await svc.client.get(f"/v1/partner/referrals/{rid}", headers=s.provider(cat.sub))).status_code == 200
    assert (await svc.client.get(f"/v1/partner/referrals/{submitted_only}",
                                 headers=s.provider(cat.prime))).status_code == 404
    outsider = s.provider(uuid.uuid4())
    for method, path in (("get", ""), ("post", "/accept"), ("get", "/transitions")):
        assert (await svc.client.request(method, f"/v1/partner/referrals/{rid}{path}",
                                         headers=outsider)).status_code == 404
    assert (await svc.client.get("/v1/partner/referrals", headers=outsider)).json()["items"] == []
    # a caseworker of another provider cannot be assigned
    await svc.client.post(f"/v1/partner/referrals/{rid}/accept", headers=s.provider(cat.prime))
    foreign = await s.known_caseworker(svc, uuid.uuid4())
    r = await svc.client.put(f"/v1/partner/referrals/{rid}/caseworker", headers=s.provider(cat.prime),
                             json={"caseworker_id": str(foreign)})
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "not_a_caseworker_of_provider"


async def test_commercial_and_wrong_roles_get_403(platform, cat: Catalogue) -> None:
    svc = platform.referrals
    rid = await walk_to(svc, cat, "sent")
    commercial = auth("commercial", region_code="A")
    for path in (f"/v1/referrals/{rid}", "/v1/referrals", f"/v1/partner/referrals/{rid}", "/v1/partner/referrals"):
        assert (await svc.client.get(path, headers=commercial)).status_code == 403
    assert (await svc.client.post(f"/v1/partner/referrals/{rid}/accept", headers=s.practitioner())).status_code == 403
    assert (await svc.client.get(f"/v1/referrals/{rid}", headers=s.provider(cat.prime))).status_code == 403


async def test_illegal_transition_is_409_with_next_steps(platform, cat: Catalogue) -> None:
    svc = platform.referrals
    rid = await walk_to(svc, cat, "sent")
    r = await svc.client.put(f"/v1/partner/referrals/{rid}/action-plan", headers=s.provider(cat.prime),
                             json={"activities": ["a"], "number_of_sessions": 2})
    assert r.status_code == 409
    assert r.json()["current_state"] == "sent" and r.json()["allowed_actions"] == ["accept", "decline"]


async def test_search_and_keyset_pagination(platform) -> None:
    svc = platform.referrals
    cat = await catalogue(svc)
    me = s.practitioner(f"pp-{uuid.uuid4().hex[:6]}", team=f"T-{uuid.uuid4().hex[:6]}")
    ids = [(await submit(svc, cat, headers=me))["id"] for _ in range(5)]
    pages, cursor = [], None
    while True:
        r = (await svc.client.get("/v1/referrals", headers=me, params={"limit": 2, **({"cursor": cursor} if cursor else {})})).json()
        pages.append([i["id"] for i in r["items"]])
        cursor = r["next_cursor"]
        if cursor is None:
            break
    assert [len(p) for p in pages] == [2, 2, 1]
    assert [i for p in pages for i in p] == list(reversed(ids))
    one = (await svc.client.get(f"/v1/referrals/{ids[2]}", headers=me)).json()
    by_ref = (await svc.client.get("/v1/referrals", headers=me, params={"reference": one["reference"]})).json()
    assert [i["id"] for i in by_ref["items"]] == [ids[2]]
    by_state = (await svc.client.get("/v1/referrals", headers=me, params={"state": "sent"})).json()
    assert by_state["items"] == []
    for rid in ids[:3]:
        await s.publish(svc, topics.CONTRACTS, s.counted_event(uuid.UUID(rid)))
    for rid in ids[:3]:
        await s.state_of(svc, rid, me, "sent")
    partner = (await svc.client.get("/v1/partner/referrals", headers=s.provider(cat.prime),
                                    params={"limit": 2, "intervention_id": str(cat.intervention_id)})).json()
    assert len(partner["items"]) == 2 and partner["next_cursor"]
    rest = (await svc.client.get("/v1/partner/referrals", headers=s.provider(cat.prime),
                                 params={"limit": 2, "intervention_id": str(cat.intervention_id),
                                         "cursor": partner["next_cursor"]})).json()
    assert {i["id"] for i in partner["items"] + rest["items"]} == set(ids[:3]) and rest["next_cursor"] is None
    bad = await svc.client.get("/v1/referrals", headers=me, params={"cursor": "nonsense"})
    assert bad.status_code == 422


async def test_a_taken_reference_is_never_reused(platform, cat: Catalogue, monkeypatch) -> None:
    from referrals.service import intake

    svc = platform.referrals
    suffix = f"{uuid.uuid4().int % 9000 + 1000}".translate(str.maketrans("01", "23"))
    candidates = iter([f"ZZ{suffix}ACC", f"ZZ{suffix}ACC", f"ZY{suffix}ACC"])
    monkeypatch.setattr(intake, "new_reference", lambda contract_type: next(candidates))
    first = await submit(svc, cat)
    second = await submit(svc, cat)
    assert (first["reference"], second["reference"]) == (f"ZZ{suffix}ACC", f"ZY{suffix}ACC")
