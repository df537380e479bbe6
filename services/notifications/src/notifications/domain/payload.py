"""What a webhook carries: ids, the reference number, the event type and a link, nothing personal."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Ids a provider is entitled to see about its own referrals and contracts.
_ID_FIELDS = ("referral_id", "contract_id", "provider_id", "caseworker_id", "case_note_id", "appointment_id")


def webhook_payload(
    *, event_type: str, event_id: str, occurred_at: str, data: Mapping[str, Any], reference: str | None,
    link: str | None,
) -> dict[str, Any]:
    body: dict[str, Any] = {"event_id": event_id, "reference": reference}
    body.update({k: str(data[k]) for k in _ID_FIELDS if data.get(k) is not None})
    if link:
        body["links"] = {"referral": link}
    return {"type": event_type, "timestamp": occurred_at, "data": body}
