"""Use cases of webhook endpoints: providers register them, choose event types, rotate secrets."""
from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import timedelta
from typing import Any

from crs_shared.auth import Principal
from crs_shared.db import utcnow
from crs_shared.errors import NotFound
from notifications.adapters.endpoint_repository import Endpoint
from notifications.domain.signature import new_secret
from notifications.domain.subscription import check_subscription
from notifications.service.uow import NotificationsUoW


async def _visible(uow: NotificationsUoW, principal: Principal, endpoint_id: str) -> Endpoint:
    principal.require("provider", "admin")
    endpoint = await uow.endpoints.get(endpoint_id)
    if endpoint is None or (principal.role == "provider" and endpoint.provider_id != principal.organisation_id):
        raise NotFound("no such webhook endpoint")
    return endpoint


async def create_endpoint(
    uow: NotificationsUoW, principal: Principal, *, url: str, event_types: list[str], description: str | None
) -> tuple[Endpoint, str]:
    """Register an endpoint for the caller's organisation; returns it with its first secret."""
    principal.require("provider")
    check_subscription(url, event_types)
    now, secret = utcnow(), new_secret()
    endpoint = Endpoint(id=str(uuid.uuid4()), provider_id=str(principal.organisation_id), url=url,
                        description=description, event_types=sorted(set(event_types)), status="active",
                        flagged_at=None, flag_reason=None, created_at=now, updated_at=now)
    async with uow:
        await uow.endpoints.add(endpoint, secret)
        await uow.commit()
    return endpoint, secret


async def list_endpoints(
    uow: NotificationsUoW, principal: Principal, *, provider_id: str | None, after_id: str | None, limit: int
) -> list[Endpoint]:
    """A provider's own endpoints; an admin's view of all (or one provider's)."""
    principal.require("provider", "admin")
    owner = principal.organisation_id if principal.role == "provider" else provider_id
    async with uow:
        return await uow.endpoints.list(owner, after_id=after_id, limit=limit)


async def get_endpoint(uow: NotificationsUoW, principal: Principal, endpoint_id: str) -> Endpoint:
    async with uow:
        return await _visible(uow, principal, endpoint_id)


async def update_endpoint(uow: NotificationsUoW, principal: Principal, endpoint_id: str, changes: dict[str, Any]
                          ) -> Endpoint:
    """Change the URL, event types, description or active flag; re-activating clears a flag."""
    check_subscription(changes.get("url"), changes.get("event_types"))
    async with uow:
        endpoint = await _visible(uow, principal, endpoint_id)
        values: dict[str, Any] = {k: v for k, v in changes.items() if k in ("url", "description")}
        if "event_types" in changes:
            values["event_types"] = sorted(set(changes["event_types"]))
        if "active" in changes:
            values["status"] = "active" if changes["active"] else "disabled"
            if changes["active"]:
                values.update(flagged_at=None, flag_reason=None)
        values["updated_at"] = utcnow()
        await uow.endpoints.update(endpoint_id, **values)
        await uow.commit()
        return replace(endpoint, **values)


async def delete_endpoint(uow: NotificationsUoW, principal: Principal, endpoint_id: str) -> None:
    """Stop sending to the endpoint; its pending deliveries are cancelled, its log is kept."""
    async with uow:
        await _visible(uow, principal, endpoint_id)
        await uow.endpoints.update(endpoint_id, status="deleted", updated_at=utcnow())
        await uow.deliveries.cancel_pending_for_endpoint(endpoint_id)
        await uow.commit()


async def rotate_secret(
    uow: NotificationsUoW, principal: Principal, endpoint_id: str, overlap_s: int
) -> tuple[str, Any]:
    """A new signing secret; the previous one keeps signing (alongside) for `overlap_s` seconds."""
    now, secret = utcnow(), new_secret()
    previous_until = now + timedelta(seconds=overlap_s)
    async with uow:
        await _visible(uow, principal, endpoint_id)
        await uow.endpoints.rotate(endpoint_id, secret, now, previous_until)
        await uow.commit()
    return secret, previous_until
