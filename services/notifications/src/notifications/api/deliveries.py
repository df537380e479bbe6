"""The delivery log: every attempt of every email and webhook, and manual redelivery."""
from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel

from crs_shared.web.security import CurrentPrincipal
from notifications.adapters.delivery_repository import DeliveryFilter
from notifications.api.deps import Cursor, Limit, UoW
from notifications.service import delivery_log as handlers

router = APIRouter(prefix="/v1/deliveries", tags=["deliveries"])


class Attempt(BaseModel):
    attempted_at: datetime
    channel: str
    outcome: str
    response_code: int | None
    error: str | None
    duration_ms: int


class Delivery(BaseModel):
    id: str
    notification_id: str
    event_id: str
    event_type: str
    channel: str
    recipient: str
    address: str | None
    endpoint_id: str | None
    provider_id: str | None
    status: str
    attempts: int
    next_attempt_at: datetime | None
    last_response_code: int | None
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None
    failed_at: datetime | None


class DeliveryDetail(Delivery):
    attempt_log: list[Attempt]


class DeliveryPage(BaseModel):
    items: list[Delivery]
    next_cursor: str | None


def _delivery(row, cls=Delivery, **extra):  # type: ignore[no-untyped-def]
    return cls(**{f: getattr(row, f) for f in Delivery.model_fields}, **extra)


@router.get("", response_model=DeliveryPage)
async def list_deliveries(
    principal: CurrentPrincipal, uow: UoW, cursor: Cursor, limit: Limit = 50,
    status: Literal["pending", "delivered", "failed", "cancelled"] | None = None,
    channel: Literal["email", "webhook"] | None = None, endpoint_id: str | None = None,
    event_type: str | None = None, referral_id: str | None = None, provider_id: str | None = None,
) -> DeliveryPage:
    """Deliveries you may see (admins: all; providers: their organisation's), newest first."""
    flt = DeliveryFilter(provider_id=provider_id, status=status, channel=channel, endpoint_id=endpoint_id,
                         event_type=event_type, referral_id=referral_id)
    rows = await handlers.list_deliveries(uow, principal, flt, before_seq=cursor, limit=limit)
    return DeliveryPage(items=[_delivery(r) for r in rows],
                        next_cursor=str(rows[-1].seq) if len(rows) == limit else None)


@router.get("/{delivery_id}", response_model=DeliveryDetail)
async def get_delivery(delivery_id: str, principal: CurrentPrincipal, uow: UoW) -> DeliveryDetail:
    """One delivery with its attempt log (time, channel, outcome, response code, error)."""
    row, attempts = await handlers.get_delivery(uow, principal, delivery_id)
    log = [Attempt(**{f: getattr(a, f) for f in Attempt.model_fields}) for a in attempts]
    return _delivery(row, DeliveryDetail, attempt_log=log)


@router.post("/{delivery_id}/redeliver", response_model=Delivery, status_code=202)
async def redeliver(delivery_id: str, principal: CurrentPrincipal, uow: UoW) -> Delivery:
    """Send this delivery again now, with a fresh retry schedule."""
    return _delivery(await handlers.redeliver(uow, principal, delivery_id))
