"""Use cases of the inbox: read your (and your organisation's or team's) notifications."""
from __future__ import annotations

from typing import Any

from crs_shared.auth import Principal
from crs_shared.db import utcnow
from crs_shared.errors import NotFound
from notifications.adapters.notification_repository import InboxScope
from notifications.service.uow import NotificationsUoW


def scope_for(principal: Principal) -> InboxScope:
    if principal.role == "provider":
        return InboxScope(user_id=principal.subject, organisation_id=principal.organisation_id)
    if principal.role == "commercial":
        if principal.region_code:
            return InboxScope(user_id=principal.subject, team_id=f"commercial:{principal.region_code}")
        return InboxScope(user_id=principal.subject, all_teams_prefix="commercial:")
    return InboxScope(user_id=principal.subject)


async def list_inbox(
    uow: NotificationsUoW, principal: Principal, *, unread_only: bool, before_seq: int | None, limit: int
) -> list[Any]:
    """The caller's notifications, newest first, one page."""
    async with uow:
        return await uow.notifications.inbox(scope_for(principal), unread_only=unread_only,
                                             before_seq=before_seq, limit=limit)


async def mark_read(uow: NotificationsUoW, principal: Principal, notification_id: str) -> Any:
    """Mark one of the caller's notifications read; someone else's is not found."""
    async with uow:
        scope = scope_for(principal)
        if await uow.notifications.get_visible(scope, notification_id) is None:
            raise NotFound("no such notification")
        await uow.notifications.mark_read(notification_id, utcnow())
        row = await uow.notifications.get_visible(scope, notification_id)
        await uow.commit()
        return row
