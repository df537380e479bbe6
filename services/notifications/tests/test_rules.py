"""The rules table: who hears about what."""
from notifications.domain.rules import Audience, RULES, render_title, rules_for, webhook_event_types

P, C, PP, CM = Audience.PROVIDER, Audience.CASEWORKER, Audience.PRACTITIONER, Audience.COMMERCIAL


def audiences(event_type: str, **data) -> set[Audience]:  # type: ignore[no-untyped-def]
    return {r.audience for r in rules_for(event_type, data)}


def test_provider_and_caseworker_rules() -> None:
    assert audiences("referral.sent") == {P, PP}
    assert audiences("referral.assigned") == {C}
    assert audiences("referral.amended") == {P, C}
    assert audiences("referral.withdrawn") == {P, C}
    assert audiences("referral.case_note_added", author_role="practitioner") == {P, C}
    assert audiences("referral.case_note_added", author_role="provider") == {PP}


def test_practitioner_rules() -> None:
    for event_type in ("referral.waitlisted", "referral.accepted", "referral.declined", "referral.assessment_booked",
                       "referral.end_of_service_report_submitted", "referral.sla_breached"):
        assert audiences(event_type) == {PP}, event_type
    assert audiences("referral.assessment_attended", attendance="did_not_attend") == {PP}
    assert audiences("referral.assessment_attended", attendance="attended") == set()
    assert audiences("referral.session_recorded", attendance="late", concerns_raised=True) == {PP}
    assert audiences("referral.session_recorded", attendance="late") == set()


def test_commercial_rules_tell_a_threshold_from_the_cap() -> None:
    (below,) = rules_for("contract.volume_threshold_reached", {"threshold_percent": 75})
    (cap,) = rules_for("contract.volume_threshold_reached", {"threshold_percent": 100})
    assert below.audience == cap.audience == CM
    data = {"contract_reference": "CR1", "threshold_percent": 100, "volume": 100, "volume_cap": 100}
    assert render_title(cap, data, None) == "Contract CR1 reached its cap (100/100)"
    assert audiences("contract.band_changed") == audiences("contract.at_risk") == {CM}


def test_unknown_events_notify_nobody_and_titles_survive_missing_fields() -> None:
    assert rules_for("referral.drafted", {}) == []
    (rule,) = rules_for("referral.declined", {})
    assert render_title(rule, {}, "AB1") == "Referral AB1 was declined (?)"


def test_webhooks_only_for_provider_facing_events() -> None:
    assert webhook_event_types() == sorted(
        ["referral.sent", "referral.assigned", "referral.amended", "referral.withdrawn", "referral.case_note_added"])
    assert all(not r.webhook for t, rules in RULES.items() for r in rules if r.audience in (PP, CM))
