"""Handlers for events from other services."""
from __future__ import annotations

from crs_shared.inbox import Consumer


def build_consumers() -> list[Consumer]:
    return []
