"""The referral aggregate: intake checks, transitions, events, deadlines and outcomes."""
from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest

from crs_shared.errors import Conflict, ValidationFailed
from referrals.domain.calendar import WorkingCalendar
from referrals.domain.outcome import decide_outcome
from referrals.domain.referral import Practitioner, Referral
from referrals.domain.sla import Sla
from referrals.domain.states import State

from .conftest import NOW, PRIME, TODAY, content, intervention

Build = Callable[..., Referral]


def codes(exc: pytest.ExceptionInfo[ValidationFailed]) -> set[tuple[str, str]]:
    return {(e.field, e.code) for e in exc.value.errors}


def draft(iv=None, **overrides) -> tuple[Referral, object]:
    iv = iv or intervention()
    return Referral.draft(content(iv, **overrides), Practitioner("pp-1"), NOW), iv


def test_submit_records_the_intervention_version_and_an_event() -> None:
    referral, iv = draft()
    referral.submit(iv, NOW, TODAY)
    assert referral.state is State.SUBMITTED
    assert referral.intervention_version == 1 and referral.provider_ids == (iv.prime_provider_id, *iv.subcontractor_provider_ids)
    [event] = referral.events
    assert event.name == "referral.submitted"
    assert event.data["complexity"] == {"ACC": "LOW"}
    assert "date_of_birth" not in str(event.data) and "Smith" not in str(event.data)
    assert [(t.from_state, t.to_state) for t in referral.transitions] == [("draft", "submitted")]


@pytest.mark.parametrize(("overrides", "expected"), [
    ({"person": {"crn": "X1", "first_name": "a", "last_name": "b", "date_of_birth": "2010-01-01", "sex": "male"}},
     ("person.date_of_birth", "below_minimum_age")),
    ({"person": {"crn": "X1", "first_name": "a", "last_name": "b", "date_of_birth": "1940-01-01", "sex": "male"}},
     ("person.date_of_birth", "above_maximum_age")),
    ({"pcc_area_code": "kent"}, ("pcc_area_code", "area_not_covered")),
    ({"categories": [{"code": "ETE", "complexity": "LOW"}]}, ("categories.0.code", "unknown_category")),
    ({"categories": [{"code": "ACC", "complexity": "HIGH"}]}, ("categories.0.complexity", "complexity_not_offered")),
    ({"desired_outcomes": ["ETE-9"]}, ("desired_outcomes.0", "unknown_outcome")),
    ({"completion_deadline": "2026-03-02"}, ("completion_deadline", "deadline_not_in_future")),
    ({"location": {"kind": "custody"}}, ("location.prison_code", "required")),
    ({"reason_for_referral": None}, ("reason_for_referral", "required")),
])
def test_intake_checks_fail_with_field_detail(overrides: dict, expected: tuple[str, str]) -> None:
    referral, iv = draft(**overrides)
    with pytest.raises(ValidationFailed) as raised:
        referral.submit(iv, NOW, TODAY)
    assert expected in codes(raised)
    assert referral.state is State.DRAFT and referral.events == []


def test_intake_rejects_a_sex_the_intervention_does_not_serve() -> None:
    referral, iv = draft(intervention(allows_male=False))
    with pytest.raises(ValidationFailed) as raised:
        referral.submit(iv, NOW, TODAY)
    assert ("person.sex", "sex_not_eligible") in codes(raised)


@pytest.mark.parametrize("iv", [intervention(closed=True), intervention(open_from=date(2026, 4, 1)),
                                intervention(open_to=date(2026, 3, 1))])
def test_intake_rejects_an_intervention_not_open_today(iv) -> None:
    referral, _ = draft(iv)
    with pytest.raises(ValidationFailed) as raised:
        referral.submit(iv, NOW, TODAY)
    assert ("intervention_id", "intervention_not_open") in codes(raised)


def test_intake_rejects_an_unknown_intervention() -> None:
    referral, _ = draft()
    with pytest.raises(ValidationFailed) as raised:
        referral.submit(None, NOW, TODAY)
    assert ("intervention_id", "unknown_intervention") in codes(raised)


def started(referral: Referral, cal: WorkingCalendar, attendance: str = "attended") -> Referral:
    """Count, accept, assign, book and attend the assessment: delivery has started."""
    referral.count(uuid.uuid4(), NOW, cal)
    referral.accept(PRIME, NOW)
    referral.assign(PRIME, uuid.uuid4(), NOW, cal)
    referral.book_assessment(PRIME, NOW, 60, "phone", NOW)
    referral.record_assessment(PRIME, attendance, None, None, NOW, cal)
    return referral


def deliver(referral: Referral, cal: WorkingCalendar, attendances: list[str], planned: int = 2) -> State:
    started(referral, cal)
    referral.submit_action_plan(PRIME, ["find housing"], planned, NOW + timedelta(days=2))
    for i, attendance in enumerate(attendances):
        referral.record_session(PRIME, attendance, NOW + timedelta(days=3 + i), None, None,
                                NOW + timedelta(days=3 + i), cal)
    return referral.submit_end_of_service_report(
        PRIME, {"ACC-1": {"achievement": "achieved", "comments": None}}, NOW + timedelta(days=9))


def test_all_planned_sessions_attended_completes(submitted: Build, calendar: WorkingCalendar) -> None:
    referral = submitted()
    assert deliver(referral, calendar, ["attended", "late"]) is State.COMPLETED
    names = [e.name for e in referral.events]
    assert names[-2:] == ["referral.end_of_service_report_submitted", "referral.completed"]
    assert all(not d.open for d in referral.deadlines.values())


def test_some_sessions_missed_ends_early(submitted: Build, calendar: WorkingCalendar) -> None:
    assert deliver(submitted(), calendar, ["attended", "did_not_attend"]) is State.ENDED_EARLY


def test_no_session_attended_cancels(submitted: Build, calendar: WorkingCalendar) -> None:
    assert deliver(submitted(), calendar, ["did_not_attend"]) is State.CANCELLED


@pytest.mark.parametrize(("planned", "attendances", "outcome"), [
    (3, [], State.CANCELLED), (3, ["did_not_attend"] * 3, State.CANCELLED), (2, ["attended", "late"], State.COMPLETED),
    (3, ["attended"], State.ENDED_EARLY), (None, ["attended"], State.ENDED_EARLY),
])
def test_outcome_rules(planned, attendances, outcome) -> None:
    assert decide_outcome(planned, attendances) is outcome


def test_the_report_must_cover_every_desired_outcome(submitted: Build, calendar: WorkingCalendar) -> None:
    referral = started(submitted(), calendar, "late")
    with pytest.raises(ValidationFailed) as raised:
        referral.submit_end_of_service_report(PRIME, {"ETE-1": {"achievement": "achieved"}}, NOW)
    assert codes(raised) == {("outcomes.ETE-1", "unknown_outcome"), ("outcomes.ACC-1", "required")}


def test_deadlines_follow_the_service_levels(submitted: Build, calendar: WorkingCalendar) -> None:
    referral = submitted()
    referral.count(uuid.uuid4(), NOW, calendar)
    assert referral.deadlines[Sla.PROVIDER_RESPONSE].due_date == date(2026, 3, 4)
    referral.accept(PRIME, NOW + timedelta(days=1))
    assert referral.deadlines[Sla.PROVIDER_RESPONSE].resolution == "met"
    referral.assign(PRIME, uuid.uuid4(), NOW + timedelta(days=1), calendar)
    assert referral.deadlines[Sla.INITIAL_ASSESSMENT].due_date == date(2026, 3, 17)
    referral.book_assessment(PRIME, datetime(2026, 3, 5, 10, tzinfo=UTC), 60, "in_person", NOW)
    referral.record_assessment(PRIME, "did_not_attend", None, None, NOW, calendar)
    assert referral.state is State.ASSESSMENT_BOOKED and referral.deadlines[Sla.INITIAL_ASSESSMENT].open
    referral.book_assessment(PRIME, datetime(2026, 3, 6, 10, tzinfo=UTC), 60, "in_person", NOW)
    referral.record_assessment(PRIME, "attended", None, None, datetime(2026, 3, 6, 12, tzinfo=UTC), calendar)
    assert referral.deadlines[Sla.ACTION_PLAN].due_date == date(2026, 3, 13)
    assert referral.deadlines[Sla.INITIAL_ASSESSMENT].resolution == "met"
    assert [e.data.get("rescheduled") for e in referral.events if e.name == "referral.assessment_booked"] == [False, True]


def test_withdrawal_needs_a_catalogue_reason_and_closes_deadlines(submitted: Build, calendar: WorkingCalendar) -> None:
    referral = submitted()
    referral.count(uuid.uuid4(), NOW, calendar)
    with pytest.raises(ValidationFailed):
        referral.withdraw("XYZ", None, "pp-1", NOW)
    referral.withdraw("MOV", None, "pp-1", NOW)
    assert referral.state is State.WITHDRAWN
    assert referral.events[-1].data == {"reason_code": "MOV", "previous_state": "sent", "delivery_started": False,
                                        "redirected_to_referral_id": None}
    assert not referral.deadlines[Sla.PROVIDER_RESPONSE].open
    with pytest.raises(Conflict):
        referral.withdraw("MOV", None, "pp-1", NOW)


def test_withdrawal_after_the_assessment_reports_delivery_started(submitted: Build, calendar: WorkingCalendar) -> None:
    referral = started(submitted(), calendar, "attended")
    referral.withdraw("NOT", None, "pp-1", NOW)
    assert referral.events[-1].data["delivery_started"] is True


def test_amend_logs_old_and_new_values(submitted: Build) -> None:
    referral = submitted()
    changed = referral.amend({"completion_deadline": "2026-10-01", "categories": [{"code": "ACC", "complexity": "MEDIUM"}]},
                             "needs more support", "pp-1", intervention(), NOW, TODAY)
    assert changed == ["completion_deadline", "categories"]
    assert [(a.field, a.old, a.new) for a in referral.amendments] == [
        ("completion_deadline", "2026-09-01", "2026-10-01"),
        ("categories", [{"code": "ACC", "complexity": "LOW"}], [{"code": "ACC", "complexity": "MEDIUM"}]),
    ]
    assert referral.events[-1].data["complexity"] == {"ACC": "MEDIUM"}


def test_amend_rejects_what_cannot_change_or_is_invalid(submitted: Build) -> None:
    referral = submitted()
    with pytest.raises(ValidationFailed) as raised:
        referral.amend({"person.date_of_birth": "2000-01-01"}, "typo", "pp-1", intervention(), NOW, TODAY)
    assert codes(raised) == {("person.date_of_birth", "not_amendable")}
    with pytest.raises(ValidationFailed) as raised:
        referral.amend({"categories": [{"code": "ACC", "complexity": "HIGH"}]}, "more", "pp-1", intervention(),
                       NOW, TODAY)
    assert ("categories.0.complexity", "complexity_not_offered") in codes(raised)


def test_a_draft_cannot_be_amended_and_a_submitted_referral_cannot_be_edited(submitted: Build) -> None:
    referral, _ = draft()
    with pytest.raises(Conflict):
        referral.amend({"completion_deadline": "2026-10-01"}, "r", "pp-1", None, NOW, TODAY)
    with pytest.raises(Conflict):
        submitted().update_draft({}, NOW)


def test_reassigning_keeps_the_state_and_names_the_previous_caseworker(submitted: Build, calendar) -> None:
    referral = submitted()
    referral.count(uuid.uuid4(), NOW, calendar)
    referral.accept(PRIME, NOW)
    first, second = uuid.uuid4(), uuid.uuid4()
    referral.assign(PRIME, first, NOW, calendar)
    referral.book_assessment(PRIME, NOW, 30, "video", NOW)
    referral.assign(PRIME, second, NOW, calendar)
    assert referral.state is State.ASSESSMENT_BOOKED
    assert referral.events[-1].data["previous_caseworker_id"] == first


def test_no_more_sessions_than_planned(submitted: Build, calendar: WorkingCalendar) -> None:
    referral = started(submitted(), calendar, "attended")
    referral.submit_action_plan(PRIME, ["a"], 1, NOW)
    referral.record_session(PRIME, "attended", NOW, None, None, NOW, calendar)
    assert referral.deadlines[Sla.END_OF_SERVICE_REPORT].open
    with pytest.raises(Conflict):
        referral.record_session(PRIME, "attended", NOW, None, None, NOW, calendar)


def test_waitlisted_then_counted(submitted: Build, calendar: WorkingCalendar) -> None:
    referral = submitted()
    referral.waitlist(uuid.uuid4(), 3, NOW)
    referral.count(uuid.uuid4(), NOW, calendar)
    assert referral.state is State.SENT
    assert [e.name for e in referral.events] == ["referral.submitted", "referral.waitlisted", "referral.sent"]
