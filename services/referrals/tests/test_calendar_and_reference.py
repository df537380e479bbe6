"""Working days with England and Wales bank holidays; readable reference numbers."""
from __future__ import annotations

import random
from datetime import UTC, date, datetime

from referrals.domain.calendar import WorkingCalendar
from referrals.domain.reference import DIGITS, LETTERS, PATTERN, new_reference
from referrals.domain.sla import Deadline, Sla


def test_two_working_days_from_a_monday_is_the_wednesday(calendar: WorkingCalendar) -> None:
    assert calendar.add_working_days(date(2026, 3, 2), 2) == date(2026, 3, 4)


def test_weekends_are_skipped(calendar: WorkingCalendar) -> None:
    assert calendar.add_working_days(date(2026, 3, 6), 2) == date(2026, 3, 10)  # Friday -> Tuesday


def test_easter_bank_holidays_are_skipped(calendar: WorkingCalendar) -> None:
    # Good Friday 2026-04-03 and Easter Monday 2026-04-06 are bank holidays in England and Wales.
    assert not calendar.is_working_day(date(2026, 4, 3))
    assert not calendar.is_working_day(date(2026, 4, 6))
    assert calendar.add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)


def test_christmas_and_boxing_day_are_skipped(calendar: WorkingCalendar) -> None:
    # 2026-12-25 is a Friday; Boxing Day falls on Saturday, so Monday 28th is the substitute day.
    assert calendar.add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)


def test_ten_working_days_span_two_weeks(calendar: WorkingCalendar) -> None:
    assert calendar.add_working_days(date(2026, 3, 2), 10) == date(2026, 3, 16)


def test_a_deadline_is_due_at_the_end_of_the_london_day(calendar: WorkingCalendar) -> None:
    deadline = Deadline.starting(Sla.PROVIDER_RESPONSE, datetime(2026, 6, 1, 9, tzinfo=UTC), calendar)
    assert deadline.due_date == date(2026, 6, 3)
    assert deadline.due_at == datetime(2026, 6, 3, 23, 0, tzinfo=UTC)  # midnight BST


def test_late_evening_utc_counts_as_the_next_london_day(calendar: WorkingCalendar) -> None:
    deadline = Deadline.starting(Sla.PROVIDER_RESPONSE, datetime(2026, 6, 5, 23, 30, tzinfo=UTC), calendar)
    assert deadline.due_date == date(2026, 6, 9)  # Saturday in London -> Tuesday


def test_references_have_two_letters_four_digits_and_the_contract_type() -> None:
    rng = random.Random(7)
    refs = {new_reference("ETE", rng) for _ in range(2000)}
    assert all(PATTERN.match(r) and r.endswith("ETE") for r in refs)
    assert len(refs) > 1990


def test_references_never_use_ambiguous_characters() -> None:
    assert not set("IOL01") & set(LETTERS + DIGITS)
    ref = new_reference("acc", random.Random(1))
    assert not set("IOL01") & set(ref[:6])
    assert ref.endswith("ACC")
