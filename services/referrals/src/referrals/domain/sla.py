"""Service levels: what deadline starts when, and how many working days it allows."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from referrals.domain.calendar import WorkingCalendar


class Sla(StrEnum):
    PROVIDER_RESPONSE = "provider_response"
    INITIAL_ASSESSMENT = "initial_assessment"
    ACTION_PLAN = "action_plan"
    END_OF_SERVICE_REPORT = "end_of_service_report"


WORKING_DAYS: dict[Sla, int] = {
    Sla.PROVIDER_RESPONSE: 2,  # from being sent
    Sla.INITIAL_ASSESSMENT: 10,  # from the first assignment
    Sla.ACTION_PLAN: 5,  # from the assessment
    Sla.END_OF_SERVICE_REPORT: 5,  # from the last session
}


@dataclass
class Deadline:
    sla: Sla
    due_date: date
    due_at: datetime
    resolved_at: datetime | None = None
    resolution: str | None = None  # met | closed
    breached_at: datetime | None = None  # written only by the timer

    @property
    def open(self) -> bool:
        return self.resolved_at is None

    @classmethod
    def starting(cls, sla: Sla, started: datetime, calendar: WorkingCalendar) -> Deadline:
        due = calendar.add_working_days(calendar.local_date(started), WORKING_DAYS[sla])
        return cls(sla, due, calendar.end_of_day(due))
