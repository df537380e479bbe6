"""Webhook endpoints that providers registered, and their signing secrets."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from notifications.adapters.tables import webhook_endpoints, webhook_secrets


@dataclass(frozen=True)
class Endpoint:
    id: str
    provider_id: str
    url: str
    description: str | None
    event_types: list[str]
    status: str
    flagged_at: datetime | None
    flag_reason: str | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class DeliveryTarget:
    url: str
    flagged: bool
    secrets: list[str]  # those that sign now, newest first


def _endpoint(row: Any) -> Endpoint:
    return Endpoint(
        id=row.id, provider_id=row.provider_id, url=row.url, description=row.description,
        event_types=json.loads(row.event_types), status=row.status, flagged_at=row.flagged_at,
        flag_reason=row.flag_reason, created_at=row.created_at, updated_at=row.updated_at,
    )


# Built once: the consumer runs it for every event that may reach a webhook.
_ACTIVE_OF_PROVIDER = select(webhook_endpoints).where(
    webhook_endpoints.c.provider_id == bindparam("provider_id"), webhook_endpoints.c.status == "active")


class EndpointRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, endpoint: Endpoint, secret: str) -> None:
        values = endpoint.__dict__ | {"event_types": json.dumps(endpoint.event_types)}
        await self.session.execute(webhook_endpoints.insert().values(**values))
        await self.session.execute(webhook_secrets.insert().values(
            endpoint_id=endpoint.id, secret=secret, created_at=endpoint.created_at, expires_at=None))

    async def get(self, endpoint_id: str) -> Endpoint | None:
        e = webhook_endpoints.c
        row = (await self.session.execute(
            select(webhook_endpoints).where(e.id == endpoint_id, e.status != "deleted"))).first()
        return _endpoint(row) if row else None

    async def list(self, provider_id: str | None, *, limit: int, after_id: str | None) -> list[Endpoint]:
        e = webhook_endpoints.c
        query = select(webhook_endpoints).where(e.status != "deleted")
        if provider_id is not None:
            query = query.where(e.provider_id == provider_id)
        if after_id is not None:
            query = query.where(e.id > after_id)
        rows = (await self.session.execute(query.order_by(e.id).limit(limit))).all()
        return [_endpoint(r) for r in rows]

    async def update(self, endpoint_id: str, **values: Any) -> None:
        if "event_types" in values:
            values["event_types"] = json.dumps(values["event_types"])
        await self.session.execute(update(webhook_endpoints).where(webhook_endpoints.c.id == endpoint_id)
                                   .values(**values))

    async def subscribed(self, provider_id: str, event_type: str) -> list[Endpoint]:
        rows = (await self.session.execute(_ACTIVE_OF_PROVIDER, {"provider_id": provider_id})).all()
        return [ep for ep in map(_endpoint, rows) if event_type in ep.event_types]

    async def rotate(self, endpoint_id: str, new_secret: str, now: datetime, old_expires_at: datetime) -> None:
        s = webhook_secrets.c
        await self.session.execute(update(webhook_secrets).where(
            s.endpoint_id == endpoint_id, or_(s.expires_at.is_(None), s.expires_at > old_expires_at)
        ).values(expires_at=old_expires_at))
        await self.session.execute(webhook_secrets.insert().values(
            endpoint_id=endpoint_id, secret=new_secret, created_at=now, expires_at=None))

    async def delivery_targets(self, endpoint_ids: list[str], now: datetime) -> dict[str, DeliveryTarget]:
        """Per endpoint: its URL, whether it is flagged, the secrets that sign now (newest first). One query."""
        if not endpoint_ids:
            return {}
        e, s = webhook_endpoints.c, webhook_secrets.c
        live = and_(s.endpoint_id == e.id, or_(s.expires_at.is_(None), s.expires_at > now))
        rows = (await self.session.execute(
            select(e.id, e.url, e.flagged_at, s.secret).select_from(webhook_endpoints.outerjoin(webhook_secrets, live))
            .where(e.id.in_(endpoint_ids)).order_by(e.id, s.seq.desc())
        )).all()
        found: dict[str, DeliveryTarget] = {}
        for r in rows:
            target = found.setdefault(r.id, DeliveryTarget(r.url, r.flagged_at is not None, []))
            if r.secret is not None:
                target.secrets.append(r.secret)
        return found

    async def flag(self, endpoint_ids: list[str], now: datetime, reason: str) -> None:
        if endpoint_ids:
            await self.session.execute(update(webhook_endpoints).where(webhook_endpoints.c.id.in_(endpoint_ids))
                                       .values(flagged_at=now, flag_reason=reason))

    async def unflag(self, endpoint_ids: list[str]) -> None:
        e = webhook_endpoints.c
        if endpoint_ids:
            await self.session.execute(update(webhook_endpoints).where(
                e.id.in_(endpoint_ids), e.flagged_at.is_not(None)).values(flagged_at=None, flag_reason=None))
