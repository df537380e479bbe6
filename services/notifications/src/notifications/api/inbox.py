"""The inbox: each user, organisation and team reads its notifications."""
from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel

from crs_shared.web.security import CurrentPrincipal
from notifications.api.deps import Cursor, Limit, UoW
from notifications.service import inbox as handlers

router = APIRouter(prefix="/v1/inbox", tags=["inbox"])


class InboxItem(BaseModel):
    id: str
    event_type: str
    audience: str
    title: str
    reference: str | None
    referral_id: str | None
    contract_id: str | None
    link: str | None
    created_at: datetime
    read_at: datetime | None
    read: bool


class InboxPage(BaseModel):
    items: list[InboxItem]
    next_cursor: str | None


def _item(row) -> InboxItem:  # type: ignore[no-untyped-def]
    return InboxItem(id=row.id, event_type=row.event_type, audience=row.audience, title=row.title,
                     reference=row.reference, referral_id=row.referral_id, contract_id=row.contract_id,
                     link=row.link, created_at=row.created_at, read_at=row.read_at, read=row.read_at is not None)


@router.get("", response_model=InboxPage)
async def list_inbox(principal: CurrentPrincipal, uow: UoW, cursor: Cursor, unread: bool = False,
                     limit: Limit = 50) -> InboxPage:
    """Your notifications and your organisation's (or team's), newest first; `unread=true` filters."""
    rows = await handlers.list_inbox(uow, principal, unread_only=unread, before_seq=cursor, limit=limit)
    return InboxPage(items=[_item(r) for r in rows],
                     next_cursor=str(rows[-1].seq) if len(rows) == limit else None)


@router.post("/{notification_id}/read", response_model=InboxItem)
async def mark_read(notification_id: str, principal: CurrentPrincipal, uow: UoW) -> InboxItem:
    """Mark a notification read (for everyone in the organisation, if it is the organisation's)."""
    return _item(await handlers.mark_read(uow, principal, notification_id))
