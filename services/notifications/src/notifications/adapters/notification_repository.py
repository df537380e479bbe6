"""Notifications and their deliveries, written once per (event, recipient, channel); the inbox."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from notifications.adapters.dialect import reused
from notifications.adapters.tables import deliveries, notifications


@dataclass(frozen=True)
class InboxScope:
    """Whose notifications a caller may read: their own, their organisation's, their team's."""

    user_id: str
    organisation_id: str | None = None
    team_id: str | None = None
    all_teams_prefix: str | None = None  # e.g. "commercial:" for a commercial user without a region

    def condition(self) -> ColumnElement[bool]:
        n = notifications.c
        clauses = [and_(n.owner_kind == "user", n.owner_id == self.user_id)]
        if self.organisation_id:
            clauses.append(n.organisation_id == self.organisation_id)
        if self.team_id:
            clauses.append(and_(n.owner_kind == "team", n.owner_id == self.team_id))
        if self.all_teams_prefix:
            clauses.append(and_(n.owner_kind == "team", n.owner_id.startswith(self.all_teams_prefix)))
        return or_(*clauses)


class NotificationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(self, recorded: list[tuple[dict[str, Any], list[dict[str, Any]]]]) -> int:
        """Insert one event's notifications and their deliveries, skipping owners already notified.

        Two statements whatever the number of notifications. A notification is skipped for a
        redelivered event, a racing consumer, or a second rule that resolved to an owner already
        notified (the first rule in the table wins); its deliveries go with it. Returns how many
        notifications were new."""
        firsts: dict[tuple[str, str], tuple[dict[str, Any], list[dict[str, Any]]]] = {}
        for notification, rows in recorded:
            firsts.setdefault((notification["owner_kind"], notification["owner_id"]), (notification, rows))
        if not firsts:
            return 0
        stmt = reused(self.session, "record_notifications", lambda insert: insert(notifications).on_conflict_do_nothing(
            index_elements=["event_id", "owner_kind", "owner_id"]).returning(notifications.c.id))
        new_ids = set((await self.session.execute(stmt, [n for n, _ in firsts.values()])).scalars())
        delivery_rows = [row for n, rows in firsts.values() if n["id"] in new_ids for row in rows]
        if delivery_rows:
            stmt = reused(self.session, "record_deliveries", lambda insert: insert(deliveries).on_conflict_do_nothing(
                index_elements=["event_id", "recipient", "channel"]))
            await self.session.execute(stmt, delivery_rows)
        return len(new_ids)

    async def inbox(
        self, scope: InboxScope, *, unread_only: bool, before_seq: int | None, limit: int
    ) -> list[Any]:
        n = notifications.c
        query = select(notifications).where(scope.condition())
        if unread_only:
            query = query.where(n.read_at.is_(None))
        if before_seq is not None:
            query = query.where(n.seq < before_seq)
        return list((await self.session.execute(query.order_by(n.seq.desc()).limit(limit))).all())

    async def get_visible(self, scope: InboxScope, notification_id: str) -> Any | None:
        n = notifications.c
        return (await self.session.execute(
            select(notifications).where(n.id == notification_id, scope.condition())
        )).first()

    async def mark_read(self, notification_id: str, at: datetime) -> None:
        n = notifications.c
        await self.session.execute(
            update(notifications).where(n.id == notification_id, n.read_at.is_(None)).values(read_at=at)
        )

    async def for_event(self, event_id: str) -> list[Any]:
        return list((await self.session.execute(
            select(notifications).where(notifications.c.event_id == event_id).order_by(notifications.c.seq)
        )).all())
