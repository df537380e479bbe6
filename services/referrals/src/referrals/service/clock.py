"""The service's clock: real time, shiftable in tests to make deadlines fall due."""
from __future__ import annotations

from datetime import datetime, timedelta

from crs_shared.db import utcnow


class Clock:
    def __init__(self) -> None:
        self.offset = timedelta(0)

    def now(self) -> datetime:
        return utcnow() + self.offset

    def advance(self, delta: timedelta) -> None:
        self.offset += delta
