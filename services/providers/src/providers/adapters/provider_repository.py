"""Providers and their caseworkers in the database. Never commits."""
from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from crs_shared.db import utcnow
from providers.adapters import tables as t
from providers.domain.provider import Caseworker, Provider, ProviderDetails


def _provider(row: Any, caseworkers: list[Caseworker]) -> Provider:
    details = ProviderDetails(
        name=row.name, organisation_type=row.organisation_type, referral_mailbox=row.referral_mailbox,
        charity_number=row.charity_number, company_number=row.company_number,
    )
    return Provider(id=row.id, details=details, status=row.status, caseworkers=caseworkers)


NUMBER_FIELDS = ("charity_number", "company_number")


def number_taken(exc: IntegrityError) -> str | None:
    """The number field whose unique index refused a write (a concurrent registration), if that was it."""
    # PostgreSQL names the index (ux_providers_charity_number), SQLite the column (providers.charity_number).
    return next((name for name in NUMBER_FIELDS if name in str(exc.orig)), None)


def _caseworker(row: Any) -> Caseworker:
    return Caseworker(row.id, row.provider_id, row.name, row.email, row.active)


class ProviderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, provider_id: uuid.UUID, *, for_update: bool = False) -> Provider | None:
        stmt = select(t.providers).where(t.providers.c.id == provider_id)
        if for_update:
            stmt = stmt.with_for_update()
        row = (await self.session.execute(stmt)).first()
        if row is None:
            return None
        cws = await self.session.execute(
            select(t.caseworkers).where(t.caseworkers.c.provider_id == provider_id).order_by(t.caseworkers.c.name)
        )
        return _provider(row, [_caseworker(c) for c in cws])

    async def page(self, after: tuple[str, uuid.UUID] | None, limit: int) -> list[Provider]:
        stmt = select(t.providers).order_by(t.providers.c.name, t.providers.c.id).limit(limit)
        if after is not None:
            stmt = stmt.where(tuple_(t.providers.c.name, t.providers.c.id) > tuple_(*after))
        return [_provider(r, []) for r in await self.session.execute(stmt)]

    async def number_holders(self, field_name: str, numbers: Iterable[str | None]) -> dict[str, uuid.UUID]:
        """The provider holding each of these charity (or company) numbers, for those held."""
        column = t.providers.c[field_name]
        wanted = {n for n in numbers if n}
        if not wanted:
            return {}
        rows = await self.session.execute(select(column, t.providers.c.id).where(column.in_(wanted)))
        return {number: provider_id for number, provider_id in rows}

    async def statuses(self, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
        wanted = set(ids)
        if not wanted:
            return {}
        rows = await self.session.execute(select(t.providers.c.id, t.providers.c.status).where(t.providers.c.id.in_(wanted)))
        return {r.id: r.status for r in rows}

    async def add(self, provider: Provider) -> None:
        now = utcnow()
        await self.session.execute(t.providers.insert().values(
            id=provider.id, status=provider.status, created_at=now, updated_at=now, **vars(provider.details)
        ))
        await self._save_caseworkers(provider)

    async def save(self, provider: Provider) -> None:
        await self.session.execute(
            t.providers.update().where(t.providers.c.id == provider.id)
            .values(status=provider.status, updated_at=utcnow(), **vars(provider.details))
        )
        await self._save_caseworkers(provider)

    async def _save_caseworkers(self, provider: Provider) -> None:
        added = {e.split(":", 1)[1] for e in provider.events if e.startswith("provider.caseworker_added:")}
        changed = {e.split(":", 1)[1] for e in provider.events if e.startswith("provider.caseworker_updated:")}
        for c in provider.caseworkers:
            values = {"name": c.name, "email": c.email, "active": c.active}
            if str(c.id) in added:
                await self.session.execute(t.caseworkers.insert().values(id=c.id, provider_id=provider.id, **values))
            elif str(c.id) in changed:
                await self.session.execute(t.caseworkers.update().where(t.caseworkers.c.id == c.id).values(**values))
