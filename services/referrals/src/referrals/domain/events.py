"""What the aggregate records when something happens; the service layer publishes them."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class DomainEvent:
    name: str  # matches an event type of the referrals topic, e.g. "referral.accepted"
    data: dict[str, Any] = field(default_factory=dict)
