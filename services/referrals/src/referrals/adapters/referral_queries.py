"""Read side: lists with keyset pagination, logs and case notes. No aggregates are built here."""
from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, insert, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from crs_shared.errors import ValidationFailed, FieldError
from referrals.adapters.tables import (
    case_notes, referral_amendments, referral_providers, referral_transitions, referrals,
)

SUMMARY = (referrals.c.id, referrals.c.reference, referrals.c.state, referrals.c.crn, referrals.c.intervention_id,
           referrals.c.intervention_version, referrals.c.caseworker_id, referrals.c.created_at,
           referrals.c.submitted_at, referrals.c.sent_at, referrals.c.concluded_at)


@dataclass(frozen=True)
class Filters:
    state: str | None = None
    reference: str | None = None
    crn: str | None = None
    intervention_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    next_cursor: str | None


def encode_cursor(at: datetime, referral_id: uuid.UUID) -> str:
    return base64.urlsafe_b64encode(f"{at.isoformat()}|{referral_id}".encode()).decode()


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        at, referral_id = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        return datetime.fromisoformat(at), uuid.UUID(referral_id)
    except Exception:
        raise ValidationFailed([FieldError("cursor", "invalid_cursor", "not a cursor from a previous page")]) from None


def practitioner_scope(subject: str, team_code: str | None, region_code: str | None) -> ColumnElement[bool]:
    """A practitioner's own referrals and their team's (their region's, if the token has no team)."""
    clauses = [referrals.c.created_by == subject]
    if team_code:
        clauses.append(referrals.c.team_code == team_code)
    elif region_code:
        clauses.append(referrals.c.practitioner_region == region_code)
    return or_(*clauses)


def provider_scope(provider_id: uuid.UUID) -> ColumnElement[bool]:
    """Sent referrals under interventions where the provider is prime or subcontractor."""
    return and_(
        referrals.c.sent_at.is_not(None),
        exists().where(referral_providers.c.referral_id == referrals.c.id,
                       referral_providers.c.provider_id == provider_id),
    )


class ReferralQueries:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def visible(self, referral_id: uuid.UUID, scope: ColumnElement[bool]) -> bool:
        row = (await self.session.execute(select(referrals.c.id).where(referrals.c.id == referral_id, scope))).first()
        return row is not None

    async def page(self, scope: ColumnElement[bool], filters: Filters, *, order_by: str, limit: int,
                   cursor: str | None) -> Page:
        at = referrals.c[order_by]
        query = select(*SUMMARY).where(scope, at.is_not(None))
        for name in ("state", "reference", "crn", "intervention_id"):
            value = getattr(filters, name)
            if value is not None:
                query = query.where(referrals.c[name] == value)
        if cursor:
            after_at, after_id = decode_cursor(cursor)
            query = query.where(tuple_(at, referrals.c.id) < tuple_(after_at, after_id))
        rows = (await self.session.execute(
            query.order_by(at.desc(), referrals.c.id.desc()).limit(limit + 1)
        )).mappings().all()
        items = [dict(r) for r in rows[:limit]]
        next_cursor = encode_cursor(items[-1][order_by], items[-1]["id"]) if len(rows) > limit else None
        return Page(items, next_cursor)

    async def transitions(self, referral_id: uuid.UUID) -> list[dict[str, Any]]:
        rows = await self.session.execute(
            select(referral_transitions).where(referral_transitions.c.referral_id == referral_id)
            .order_by(referral_transitions.c.id))
        return [dict(r) for r in rows.mappings()]

    async def amendments(self, referral_id: uuid.UUID) -> list[dict[str, Any]]:
        rows = await self.session.execute(
            select(referral_amendments).where(referral_amendments.c.referral_id == referral_id)
            .order_by(referral_amendments.c.id))
        return [dict(r) for r in rows.mappings()]

    async def case_notes(self, referral_id: uuid.UUID) -> list[dict[str, Any]]:
        rows = await self.session.execute(
            select(case_notes).where(case_notes.c.referral_id == referral_id)
            .order_by(case_notes.c.created_at, case_notes.c.id))
        return [dict(r) for r in rows.mappings()]

    async def add_case_note(self, note: dict[str, Any]) -> None:
        await self.session.execute(insert(case_notes).values(**note))
