"""Working days in England and Wales: Monday to Friday, bank holidays excepted."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

LONDON = ZoneInfo("Europe/London")


class WorkingCalendar:
    def __init__(self, bank_holidays: set[date] | None = None) -> None:
        self._extra = bank_holidays
        self._holidays = holidays.country_holidays("GB", subdiv="ENG")

    def is_working_day(self, day: date) -> bool:
        if day.weekday() >= 5:
            return False
        if self._extra is not None:
            return day not in self._extra
        return day not in self._holidays

    def add_working_days(self, start: date, days: int) -> date:
        """The date `days` working days after `start` (start itself never counts)."""
        current = start
        remaining = days
        while remaining > 0:
            current += timedelta(days=1)
            if self.is_working_day(current):
                remaining -= 1
        return current

    @staticmethod
    def local_date(moment: datetime) -> date:
        return moment.astimezone(LONDON).date()

    @staticmethod
    def end_of_day(day: date) -> datetime:
        """The first instant after `day` ends in London, in UTC."""
        return datetime.combine(day + timedelta(days=1), time(0), tzinfo=LONDON).astimezone(UTC)
