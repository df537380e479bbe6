"""Read side: lists with keyset pagination, logs and case notes. No aggregates are built here."""
from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, insert, or_, select, text, tuple_, union
from sqlalchemy.ext.asyncio import AsyncSession

from crs_shared.errors import ValidationFailed, FieldError
from referrals.adapters.tables import (
    case_notes, referral_amendments, referral_providers, referral_transitions, referrals,
)

SUMMARY = (referrals.c.id, referrals.c.reference, referrals.c.state, referrals.c.crn, referrals.c.intervention_id,
           referrals.c.intervention_version, referrals.c.caseworker_id, referrals.c.created_at,
           referrals.c.submitted_at, referrals.c.sent_at, referrals.c.concluded_at)


# Who may see which referrals, as alternatives (OR). Each alternative is paged on its own composite
# index (the equality column, then the sort key and id); an OR in one WHERE would walk the whole sort index.
Scope = tuple[ColumnElement[bool], ...]


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


def practitioner_scope(subject: str, team_code: str | None, region_code: str | None) -> Scope:
    """A practitioner's own referrals and their team's (their region's, if the token has no team)."""
    if team_code:
        return referrals.c.created_by == subject, referrals.c.team_code == team_code
    if region_code:
        return referrals.c.created_by == subject, referrals.c.practitioner_region == region_code
    return (referrals.c.created_by == subject,)


def provider_scope(provider_id: uuid.UUID) -> Scope:
    """Sent referrals under interventions where the provider is prime or subcontractor."""
    return (and_(
        referrals.c.sent_at.is_not(None),
        exists().where(referral_providers.c.referral_id == referrals.c.id,
                       referral_providers.c.provider_id == provider_id),
    ),)


def _newest(query: Select[Any], at: ColumnElement[Any], id_: ColumnElement[Any], limit: int) -> Select[Any]:
    return query.order_by(at.desc(), id_.desc()).limit(limit)


class ReferralQueries:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def visible(self, referral_id: uuid.UUID, scope: Scope) -> bool:
        row = (await self.session.execute(
            select(referrals.c.id).where(referrals.c.id == referral_id, or_(*scope)))).first()
        return row is not None

    async def page(self, scope: Scope, filters: Filters, *, order_by: str, limit: int,
                   cursor: str | None) -> Page:
        """Newest first by `order_by` then id, `limit` rows after the cursor (keyset, never OFFSET)."""
        at = referrals.c[order_by]
        conditions = [at.is_not(None)]
        for name in ("state", "reference", "crn", "intervention_id"):
            value = getattr(filters, name)
            if value is not None:
                conditions.append(referrals.c[name] == value)
        if cursor:
            after_at, after_id = decode_cursor(cursor)
            conditions.append(tuple_(at, referrals.c.id) < tuple_(after_at, after_id))
        branches = [_newest(select(*SUMMARY).where(alternative, *conditions), at, referrals.c.id, limit + 1)
                    for alternative in scope]
        if len(branches) == 1:
            query = branches[0]
        else:  # the first rows of each alternative, merged (a referral in two alternatives counts once)
            merged = union(*(select(b.subquery()) for b in branches)).subquery()
            query = _newest(select(merged), merged.c[order_by], merged.c.id, limit + 1)
        if self.session.bind.dialect.name == "postgresql":
            # The best plan depends on the cursor and the provider's share of referrals; a cached generic
            # plan (PostgreSQL's choice after five runs of a prepared statement) guesses both and falls
            # back to sorting every row in scope, so plan each page for its own values.
            await self.session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
        rows = (await self.session.execute(query)).mappings().all()
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
