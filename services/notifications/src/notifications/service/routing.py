"""Turn one event into notifications and deliveries, following the rules table.

Only records: the consumer's transaction inserts rows; the delivery worker sends them.
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from crs_shared.db import utcnow
from crs_shared.events.envelope import EventEnvelope
from notifications.adapters.read_models import ReferralView
from notifications.domain.payload import webhook_payload
from notifications.domain.rules import Audience, render_title, rules_for
from notifications.service.uow import NotificationsUoW
from notifications.settings import Settings


class RecipientUnknown(LookupError):
    """The event names nobody we can reach yet: the consumer retries, then dead-letters (loudly)."""


@dataclass(frozen=True)
class Target:
    owner_kind: str  # user | organisation | team
    owner_id: str
    organisation_id: str | None  # the provider whose people may read it
    email_recipient: str | None  # logical key: provider:<id>, caseworker:<id>, ...
    email_address: str | None  # None: resolved at send time (or no email at all without a recipient)
    link: str | None


async def notify(
    uow: NotificationsUoW, envelope: EventEnvelope, settings: Settings, *, referral: ReferralView | None = None
) -> int:
    """Record the notifications `envelope` calls for; returns how many were new.

    `referral`: the read model as the projection just left it, if it did (saves a query)."""
    data = envelope.data
    rules = rules_for(envelope.type, data)
    if not rules:
        return 0
    if referral is None and "referral_id" in data:
        referral = await uow.read_models.referral(str(data["referral_id"]))
    reference = data.get("reference") or (referral.reference if referral else None)
    now = utcnow()
    recorded: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
    for rule in rules:
        target = await _resolve(uow, rule.audience, envelope, referral, settings)
        notification_id = str(uuid.uuid4())
        provider_id = target.organisation_id
        rows = []
        if target.email_recipient:
            rows.append(_delivery(envelope, notification_id, "email", target.email_recipient,
                                  target.email_address, provider_id, now))
        if rule.webhook and provider_id:
            body = json.dumps(webhook_payload(
                event_type=envelope.type, event_id=str(envelope.event_id),
                occurred_at=envelope.occurred_at.isoformat(), data=data, reference=reference,
                link=_partner_link(settings, data)), separators=(",", ":"))
            for endpoint in await uow.endpoints.subscribed(provider_id, envelope.type):
                rows.append(_delivery(envelope, notification_id, "webhook", f"endpoint:{endpoint.id}",
                                      endpoint.url, provider_id, now, endpoint_id=endpoint.id, payload=body))
        notification = {
            "id": notification_id, "event_id": str(envelope.event_id), "event_type": envelope.type,
            "audience": rule.audience.value, "owner_kind": target.owner_kind, "owner_id": target.owner_id,
            "organisation_id": target.organisation_id, "referral_id": _str(data.get("referral_id")),
            "contract_id": _str(data.get("contract_id")), "reference": reference or data.get("contract_reference"),
            "title": render_title(rule, data, reference)[:500], "link": target.link, "created_at": now,
        }
        recorded.append((notification, rows))
    return await uow.notifications.record(recorded)


async def _resolve(
    uow: NotificationsUoW, audience: Audience, envelope: EventEnvelope, referral: ReferralView | None,
    settings: Settings,
) -> Target:
    data = envelope.data
    if audience is Audience.COMMERCIAL:
        region = data["region_code"]
        return Target("team", f"commercial:{region}", None, f"commercial:{region}",
                      settings.commercial_mailbox_template.format(region=region),
                      f"{settings.contracts_base_url}/v1/contracts/{data['contract_id']}")
    if audience is Audience.PRACTITIONER:
        if referral is None or not referral.practitioner_id:
            raise RecipientUnknown(f"no practitioner known for referral {data.get('referral_id')}")
        email = referral.practitioner_email
        return Target("user", referral.practitioner_id, None,
                      f"practitioner:{referral.practitioner_id}" if email else None, email,
                      f"{settings.referrals_base_url}/v1/referrals/{data['referral_id']}")
    provider_id = _provider_of(data, referral)
    link = _partner_link(settings, data)
    if audience is Audience.CASEWORKER:
        caseworker_id = _str(data.get("caseworker_id")) or (referral.caseworker_id if referral else None)
        email = await uow.read_models.active_caseworker_email(caseworker_id) if caseworker_id else None
        if caseworker_id and email:
            return Target("user", caseworker_id, provider_id, f"caseworker:{caseworker_id}", email, link)
        # Nobody (reachable) assigned yet: the provider's referral mailbox instead, never nobody.
    mailbox = await uow.read_models.provider_mailbox(provider_id)
    return Target("organisation", provider_id, provider_id, f"provider:{provider_id}", mailbox, link)


def _provider_of(data: dict[str, Any], referral: ReferralView | None) -> str:
    provider_id = (referral.prime_provider_id if referral else None) or _str(
        data.get("prime_provider_id") or data.get("provider_id"))
    if not provider_id:
        raise RecipientUnknown(f"no provider known for referral {data.get('referral_id')}")
    return provider_id


def _partner_link(settings: Settings, data: dict[str, Any]) -> str | None:
    if "referral_id" not in data:
        return None
    return f"{settings.referrals_base_url}/v1/partner/referrals/{data['referral_id']}"


def _delivery(
    envelope: EventEnvelope, notification_id: str, channel: str, recipient: str, address: str | None,
    provider_id: str | None, now: Any, *, endpoint_id: str | None = None, payload: str | None = None,
) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()), "notification_id": notification_id, "event_id": str(envelope.event_id),
        "event_type": envelope.type, "channel": channel, "recipient": recipient, "address": address,
        "endpoint_id": endpoint_id, "provider_id": provider_id, "payload": payload, "status": "pending",
        "attempts": 0, "next_attempt_at": now, "created_at": now,
    }


def _str(value: Any) -> str | None:
    return None if value is None else str(value)
