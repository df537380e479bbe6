"""Event contracts: the public API between services. Importing this package registers all of them."""
from crs_shared.events import catalogue, contracts, notifications, referrals, topics
from crs_shared.events.envelope import (
    EventData,
    EventEnvelope,
    build_event,
    event,
    parse_envelope,
    registry,
)

__all__ = [
    "EventData",
    "EventEnvelope",
    "build_event",
    "catalogue",
    "contracts",
    "event",
    "notifications",
    "parse_envelope",
    "referrals",
    "registry",
    "topics",
]
