"""Who hears about what: the one table of notification rules.

Read it top to bottom: each event type lists the audiences it notifies, when, and the
line they read. Audiences resolve to people and mailboxes in the service layer:

- PROVIDER: the prime provider's referral mailbox (email), its webhooks, its organisation inbox.
- CASEWORKER: the assigned caseworker's email and inbox; with nobody assigned (or unknown,
  or deactivated), the provider's referral mailbox and organisation inbox instead.
- PRACTITIONER: the referring practitioner's email and inbox.
- COMMERCIAL: the commercial team of the contract's region (a mailbox from a setting
  template such as ``commercial-{region}@crs.example``) and the team's inbox.

Every notification lands in an inbox, so nothing is ever silently dropped.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

Data = Mapping[str, Any]


class Audience(StrEnum):
    PROVIDER = "provider"
    CASEWORKER = "caseworker"
    PRACTITIONER = "practitioner"
    COMMERCIAL = "commercial"


@dataclass(frozen=True)
class Rule:
    audience: Audience
    title: str  # formatted with the event data plus `reference`
    when: Callable[[Data], bool] = lambda data: True
    webhook: bool = False  # also sent to the provider's webhooks that chose this event type

    def applies(self, data: Data) -> bool:
        return self.when(data)


def _missed_or_concern(data: Data) -> bool:
    return data.get("attendance") == "did_not_attend" or bool(data.get("concerns_raised"))


def _by(role: str) -> Callable[[Data], bool]:
    return lambda data: data.get("author_role") == role


def _threshold(reached_cap: bool) -> Callable[[Data], bool]:
    return lambda data: (int(data.get("threshold_percent", 0)) >= 100) == reached_cap


P, C, PP, CM = Audience.PROVIDER, Audience.CASEWORKER, Audience.PRACTITIONER, Audience.COMMERCIAL

RULES: dict[str, tuple[Rule, ...]] = {
    # --- the referral reaches the provider -------------------------------------------------
    "referral.sent": (
        Rule(P, "New referral {reference}", webhook=True),
        Rule(PP, "Referral {reference} was sent to the provider"),
    ),
    "referral.waitlisted": (
        Rule(PP, "Referral {reference} is waitlisted: the contract is at its cap"),
    ),
    "referral.accepted": (Rule(PP, "Referral {reference} was accepted by the provider"),),
    "referral.declined": (Rule(PP, "Referral {reference} was declined ({reason_code})"),),
    "referral.assigned": (
        Rule(C, "Referral {reference} was assigned to you", webhook=True),
    ),
    # --- changes the provider's people must know about ------------------------------------
    "referral.amended": (
        Rule(P, "Referral {reference} was amended", webhook=True),
        Rule(C, "Referral {reference} was amended"),
    ),
    "referral.withdrawn": (
        Rule(P, "Referral {reference} was withdrawn ({reason_code})", webhook=True),
        Rule(C, "Referral {reference} was withdrawn ({reason_code})"),
    ),
    "referral.case_note_added": (
        Rule(P, "New case note on referral {reference}", when=_by("practitioner"), webhook=True),
        Rule(C, "New case note on referral {reference}", when=_by("practitioner")),
        Rule(PP, "The provider added a case note on referral {reference}", when=_by("provider")),
    ),
    # --- progress the practitioner must know about ----------------------------------------
    "referral.assessment_booked": (
        Rule(PP, "Initial assessment booked for referral {reference}"),
    ),
    "referral.assessment_attended": (
        Rule(PP, "Initial assessment for referral {reference}: missed appointment or concerns",
             when=_missed_or_concern),
    ),
    "referral.session_recorded": (
        Rule(PP, "Session {session_number} of referral {reference}: missed appointment or concerns",
             when=_missed_or_concern),
    ),
    "referral.end_of_service_report_submitted": (
        Rule(PP, "End-of-service report submitted for referral {reference}"),
    ),
    "referral.sla_breached": (
        Rule(PP, "Service level missed on referral {reference}: {sla}"),
    ),
    # --- contract volumes, for the region's commercial team --------------------------------
    "contract.volume_threshold_reached": (
        Rule(CM, "Contract {contract_reference} reached {threshold_percent}% of its cap "
                 "({volume}/{volume_cap})", when=_threshold(reached_cap=False)),
        Rule(CM, "Contract {contract_reference} reached its cap ({volume}/{volume_cap})",
             when=_threshold(reached_cap=True)),
    ),
    "contract.band_changed": (
        Rule(CM, "Contract {contract_reference} moved to volume band {band}"),
    ),
    "contract.at_risk": (
        Rule(CM, "Contract {contract_reference} is at risk: {risk} (projected {projected_volume})"),
    ),
}


def rules_for(event_type: str, data: Data) -> list[Rule]:
    """The rules that fire for one event; at most one per audience."""
    fired: dict[Audience, Rule] = {}
    for rule in RULES.get(event_type, ()):
        if rule.audience not in fired and rule.applies(data):
            fired[rule.audience] = rule
    return list(fired.values())


class _Unknown(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "?"


def render_title(rule: Rule, data: Data, reference: str | None) -> str:
    values = _Unknown(data)
    values["reference"] = reference or data.get("reference") or data.get("referral_id") or "?"
    return rule.title.format_map(values)


def webhook_event_types() -> list[str]:
    """Event types a provider may subscribe its webhooks to."""
    return sorted(t for t, rules in RULES.items() if any(r.webhook for r in rules))


def notified_event_types() -> list[str]:
    return sorted(RULES)
