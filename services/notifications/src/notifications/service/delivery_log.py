"""Use cases of the delivery log: see every attempt, redeliver by hand."""
from __future__ import annotations

from typing import Any

from crs_shared.auth import Principal
from crs_shared.db import utcnow
from crs_shared.errors import Conflict, NotFound
from notifications.adapters.delivery_repository import DeliveryFilter
from notifications.service.uow import NotificationsUoW


def _owner_scope(principal: Principal) -> str | None:
    """Admins see every delivery; a provider only its own organisation's."""
    principal.require("admin", "provider")
    return None if principal.role == "admin" else principal.organisation_id


async def list_deliveries(
    uow: NotificationsUoW, principal: Principal, flt: DeliveryFilter, *, before_seq: int | None, limit: int
) -> list[Any]:
    """One page of deliveries the caller may see, newest first."""
    scoped = DeliveryFilter(**{**flt.__dict__, "provider_id": _owner_scope(principal) or flt.provider_id})
    async with uow:
        return await uow.deliveries.list(scoped, before_seq=before_seq, limit=limit)


async def _visible(uow: NotificationsUoW, principal: Principal, delivery_id: str) -> Any:
    owner = _owner_scope(principal)
    row = await uow.deliveries.get(delivery_id)
    if row is None or (owner is not None and row.provider_id != owner):
        raise NotFound("no such delivery")
    return row


async def get_delivery(uow: NotificationsUoW, principal: Principal, delivery_id: str) -> tuple[Any, list[Any]]:
    """A delivery and its attempts."""
    async with uow:
        row = await _visible(uow, principal, delivery_id)
        return row, await uow.deliveries.attempts(delivery_id)


async def redeliver(uow: NotificationsUoW, principal: Principal, delivery_id: str) -> Any:
    """Send a delivery again now, with a fresh retry schedule."""
    async with uow:
        row = await _visible(uow, principal, delivery_id)
        if row.status == "cancelled":
            raise Conflict("the delivery was cancelled: its endpoint was deleted")
        await uow.deliveries.redeliver(delivery_id, utcnow())
        row = await uow.deliveries.get(delivery_id)
        await uow.commit()
        return row
