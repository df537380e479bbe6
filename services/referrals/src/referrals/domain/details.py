"""Typed reads of a referral's content (kept as the JSON document the practitioner sent)."""
from __future__ import annotations

import uuid
from datetime import date
from typing import Any


class Details:
    """A read-only view over the referral's content document."""

    def __init__(self, content: dict[str, Any]) -> None:
        self.content = content

    @property
    def person(self) -> dict[str, Any]:
        return self.content.get("person") or {}

    @property
    def intervention_id(self) -> uuid.UUID | None:
        value = self.content.get("intervention_id")
        return uuid.UUID(str(value)) if value else None

    @property
    def date_of_birth(self) -> date | None:
        value = self.person.get("date_of_birth")
        return date.fromisoformat(value) if value else None

    @property
    def sex(self) -> str | None:
        return self.person.get("sex")

    @property
    def pcc_area_code(self) -> str | None:
        return self.content.get("pcc_area_code")

    @property
    def categories(self) -> list[dict[str, str]]:
        return list(self.content.get("categories") or [])

    @property
    def complexity(self) -> dict[str, str]:
        return {c["code"]: c["complexity"] for c in self.categories if c.get("code") and c.get("complexity")}

    @property
    def desired_outcomes(self) -> list[str]:
        return list(self.content.get("desired_outcomes") or [])

    @property
    def completion_deadline(self) -> date | None:
        value = self.content.get("completion_deadline")
        return date.fromisoformat(value) if value else None

    @property
    def location(self) -> dict[str, Any]:
        return self.content.get("location") or {}


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
