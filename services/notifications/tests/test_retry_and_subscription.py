"""Backoff schedule and webhook subscription checks."""
import random
from datetime import UTC, datetime, timedelta

import pytest

from crs_shared.errors import ValidationFailed
from notifications.domain.retry import DEFAULT_SCHEDULE_S, next_attempt_at
from notifications.domain.subscription import check_subscription

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def test_default_schedule_retries_for_about_a_day_then_gives_up() -> None:
    assert 20 * 3600 <= sum(DEFAULT_SCHEDULE_S) <= 28 * 3600
    assert list(DEFAULT_SCHEDULE_S) == sorted(DEFAULT_SCHEDULE_S)
    assert next_attempt_at(NOW, len(DEFAULT_SCHEDULE_S) + 1, DEFAULT_SCHEDULE_S, 0.2) is None


def test_backoff_grows_with_jitter_inside_bounds() -> None:
    rng = random.Random(7)
    for attempt, base in enumerate(DEFAULT_SCHEDULE_S, start=1):
        at = next_attempt_at(NOW, attempt, DEFAULT_SCHEDULE_S, 0.2, rng)
        assert at is not None
        assert timedelta(seconds=base * 0.8) <= at - NOW <= timedelta(seconds=base * 1.2)
    assert next_attempt_at(NOW, 1, [2.0], 0.0) == NOW + timedelta(seconds=2)


def test_subscription_needs_an_http_url_and_known_event_types() -> None:
    check_subscription("https://hooks.example/crs", ["referral.sent"])
    with pytest.raises(ValidationFailed) as caught:
        check_subscription("javascript:alert(1)", [])
    assert {e.field for e in caught.value.errors} == {"url", "event_types"}
    with pytest.raises(ValidationFailed) as caught:
        check_subscription(None, ["referral.sla_breached"])  # practitioners' news, not the provider's
    assert caught.value.errors[0].code == "unknown_event_type"
