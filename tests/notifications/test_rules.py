"""Each rule of the table, end to end: real events in, real emails out, inbox items recorded."""
from __future__ import annotations

import uuid

import pytest

from tests.harness import auth, eventually
from tests.notifications import factory as f

pytestmark = [pytest.mark.integration]


def subjects(smtp, address: str) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(str(m["Subject"]).strip() for m in smtp.to(address))


@pytest.mark.asyncio(loop_scope="session")
async def test_provider_and_caseworker_hear_about_their_referrals(notifications, smtp) -> None:
    provider_id, caseworker_id, referral_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    mailbox, cw_email, pp_email = "referrals@hands.example", "sam@hands.example", "pp@probation.example"
    ref = "AB1234AC"
    await f.publish(notifications, f.provider(provider_id, mailbox), f.caseworker(caseworker_id, provider_id, cw_email),
                    f.submitted(referral_id, provider_id, reference=ref, practitioner_id="pp-1",
                                practitioner_email=pp_email),
                    f.referral_event("sent", referral_id, ref, prime_provider_id=provider_id),
                    # amended before anyone is assigned: the provider mailbox, once (not twice)
                    f.referral_event("amended", referral_id, ref, changed_fields=["complexity"]))

    async def before_assignment() -> bool:
        assert subjects(smtp, mailbox) == [f"New referral {ref}", f"Referral {ref} was amended"]
        assert subjects(smtp, pp_email) == [f"Referral {ref} was sent to the provider"]
        return True

    await eventually(before_assignment)
    await f.publish(notifications,
                    f.referral_event("assigned", referral_id, ref, provider_id=provider_id, caseworker_id=caseworker_id),
                    f.referral_event("amended", referral_id, ref, changed_fields=["needs"]),
                    f.referral_event("case_note_added", referral_id, ref, author_role="practitioner"),
                    f.referral_event("case_note_added", referral_id, ref, author_role="provider"),
                    f.referral_event("withdrawn", referral_id, ref, reason_code="MIS", previous_state="assigned",
                                     delivery_started=False))

    async def after_assignment() -> bool:
        assert subjects(smtp, cw_email) == sorted([
            f"Referral {ref} was assigned to you", f"Referral {ref} was amended",
            f"New case note on referral {ref}", f"Referral {ref} was withdrawn (MIS)"])
        assert subjects(smtp, mailbox) == sorted([
            f"New referral {ref}", f"Referral {ref} was amended", f"Referral {ref} was amended",
            f"New case note on referral {ref}", f"Referral {ref} was withdrawn (MIS)"])
        assert f"The provider added a case note on referral {ref}" in subjects(smtp, pp_email)
        return True

    await eventually(after_assignment)
    message = smtp.to(cw_email)[0]
    assert message.is_multipart()
    kinds = {part.get_content_type() for part in message.walk()}
    assert {"text/plain", "text/html"} <= kinds
    assert f"/v1/partner/referrals/{referral_id}" in message.get_body(("plain",)).get_content()
    assert f'href="http://127.0.0.1:8001/v1/partner/referrals/{referral_id}"' in message.get_body(("html",)).get_content()

    # The organisation's inbox has the provider notifications; the caseworker's notifications are theirs
    # and visible to their organisation too.
    org = await notifications.client.get("/v1/inbox?limit=100", headers=auth("provider", organisation_id=str(provider_id)))
    assert org.status_code == 200
    titles = [i["title"] for i in org.json()["items"]]
    # first amendment: the org only (nobody assigned); second: the org and the caseworker
    assert titles.count(f"Referral {ref} was amended") == 3
    assert f"Referral {ref} was assigned to you" in titles


@pytest.mark.asyncio(loop_scope="session")
async def test_assignment_without_a_known_caseworker_goes_to_the_provider_mailbox(notifications, smtp) -> None:
    provider_id, referral_id, stranger_caseworker = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    mailbox, ref = "intake@org.example", "CD2345AC"
    await f.publish(notifications, f.provider(provider_id, mailbox),
                    f.submitted(referral_id, provider_id, reference=ref, practitioner_id="pp-2", practitioner_email=None),
                    f.referral_event("assigned", referral_id, ref, provider_id=provider_id,
                                     caseworker_id=stranger_caseworker))
    await eventually(lambda: _has(smtp, mailbox, f"Referral {ref} was assigned to you"))


async def _has(smtp, address: str, subject: str) -> bool:  # type: ignore[no-untyped-def]
    assert subject in subjects(smtp, address)
    return True


@pytest.mark.asyncio(loop_scope="session")
async def test_practitioner_hears_about_progress_missed_appointments_and_breaches(notifications, smtp) -> None:
    provider_id, referral_id = uuid.uuid4(), uuid.uuid4()
    pp_email, ref = "pat@probation.example", "EF3456AC"
    await f.publish(notifications, f.provider(provider_id, "x@org.example"),
                    f.submitted(referral_id, provider_id, reference=ref, practitioner_id="pp-3",
                                practitioner_email=pp_email),
                    f.referral_event("waitlisted", referral_id, ref),
                    f.referral_event("accepted", referral_id, ref, provider_id=provider_id),
                    f.referral_event("declined", referral_id, ref, provider_id=provider_id, reason_code="CAP"),
                    f.referral_event("assessment_booked", referral_id, ref),
                    f.referral_event("assessment_attended", referral_id, ref, attendance="attended"),  # no news
                    f.referral_event("assessment_attended", referral_id, ref, attendance="did_not_attend"),
                    f.referral_event("session_recorded", referral_id, ref, session_number=2, attendance="attended",
                                     concerns_raised=True),
                    f.referral_event("session_recorded", referral_id, ref, session_number=3, attendance="late"),
                    f.referral_event("end_of_service_report_submitted", referral_id, ref),
                    f.referral_event("sla_breached", referral_id, ref, sla="initial_assessment"))
    expected = sorted([
        f"Referral {ref} is waitlisted: the contract is at its cap",
        f"Referral {ref} was accepted by the provider",
        f"Referral {ref} was declined (CAP)",
        f"Initial assessment booked for referral {ref}",
        f"Initial assessment for referral {ref}: missed appointment or concerns",
        f"Session 2 of referral {ref}: missed appointment or concerns",
        f"End-of-service report submitted for referral {ref}",
        f"Service level missed on referral {ref}: initial_assessment",
    ])

    async def all_arrived() -> bool:
        assert subjects(smtp, pp_email) == expected
        return True

    await eventually(all_arrived)
    inbox = await notifications.client.get("/v1/inbox?limit=100", headers=auth("practitioner", subject="pp-3"))
    assert sorted(i["title"] for i in inbox.json()["items"]) == expected


@pytest.mark.asyncio(loop_scope="session")
async def test_commercial_team_of_the_region_hears_about_volumes(notifications, smtp) -> None:
    await f.publish(notifications, f.threshold("B", 75), f.threshold("B", 100), f.band_changed("B"),
                    f.at_risk("B"), f.threshold("C", 90))
    team_b = "commercial-B@crs.example"
    expected = sorted([
        "Contract CR-0001 reached 75% of its cap (75/100)",
        "Contract CR-0001 reached its cap (100/100)",
        "Contract CR-0002 moved to volume band 2",
        "Contract CR-0003 is at risk: over_cap (projected 130)",
    ])

    async def arrived() -> bool:
        assert subjects(smtp, team_b) == expected
        assert subjects(smtp, "commercial-C@crs.example") == ["Contract CR-0001 reached 90% of its cap (90/100)"]
        return True

    await eventually(arrived)
    region_b = await notifications.client.get("/v1/inbox", headers=auth("commercial", region_code="B"))
    assert sorted(i["title"] for i in region_b.json()["items"]) == expected
    region_d = await notifications.client.get("/v1/inbox", headers=auth("commercial", region_code="D"))
    assert region_d.json()["items"] == []
