"""What a provider may ask of a webhook endpoint: a reachable URL and event types it may receive."""
from __future__ import annotations

from urllib.parse import urlsplit

from crs_shared.errors import FieldErrors
from notifications.domain.rules import webhook_event_types


def check_subscription(url: str | None, event_types: list[str] | None) -> None:
    """Raise ValidationFailed with field errors for a bad URL or unknown event types."""
    errors = FieldErrors()
    if url is not None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            errors.add("url", "invalid_url", "an absolute http(s) URL is required")
    if event_types is not None:
        allowed = set(webhook_event_types())
        if not event_types:
            errors.add("event_types", "empty", "choose at least one event type")
        for i, event_type in enumerate(event_types):
            if event_type not in allowed:
                errors.add(f"event_types.{i}", "unknown_event_type",
                           f"{event_type!r} is not one of {', '.join(sorted(allowed))}")
    errors.raise_if_any()
