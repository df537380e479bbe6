"""Webhook endpoints: providers register URLs, choose event types and rotate signing secrets."""
from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from crs_shared.web.security import CurrentPrincipal
from notifications.adapters.endpoint_repository import Endpoint
from notifications.api.deps import AppSettings, Limit, UoW
from notifications.domain.rules import webhook_event_types
from notifications.service import endpoints as handlers

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"])


class EndpointIn(BaseModel):
    url: str = Field(max_length=2000)
    event_types: list[str]
    description: str | None = Field(None, max_length=500)


class EndpointPatch(BaseModel):
    url: str | None = Field(None, max_length=2000)
    event_types: list[str] | None = None
    description: str | None = Field(None, max_length=500)
    active: bool | None = None


class EndpointOut(BaseModel):
    id: str
    provider_id: str
    url: str
    description: str | None
    event_types: list[str]
    active: bool
    flagged: bool
    flagged_at: datetime | None
    flag_reason: str | None
    created_at: datetime
    updated_at: datetime


class EndpointWithSecret(EndpointOut):
    secret: str = Field(description="whsec_<base64>: shown once; verify signatures with it")


class RotateIn(BaseModel):
    overlap_seconds: int | None = Field(None, ge=0, le=7 * 86400)


class RotatedSecret(BaseModel):
    secret: str
    previous_secret_expires_at: datetime


class EndpointPage(BaseModel):
    items: list[EndpointOut]
    next_cursor: str | None


def _out(e: Endpoint, cls=EndpointOut, **extra):  # type: ignore[no-untyped-def]
    return cls(id=e.id, provider_id=e.provider_id, url=e.url, description=e.description,
               event_types=e.event_types, active=e.status == "active", flagged=e.flagged_at is not None,
               flagged_at=e.flagged_at, flag_reason=e.flag_reason, created_at=e.created_at,
               updated_at=e.updated_at, **extra)


@router.get("/event-types", response_model=list[str])
async def event_types(principal: CurrentPrincipal) -> list[str]:
    """Event types a webhook endpoint may subscribe to."""
    return webhook_event_types()


@router.post("/endpoints", response_model=EndpointWithSecret, status_code=201)
async def create_endpoint(body: EndpointIn, principal: CurrentPrincipal, uow: UoW) -> EndpointWithSecret:
    """Register a webhook endpoint for your organisation; the response holds its signing secret."""
    endpoint, secret = await handlers.create_endpoint(uow, principal, url=body.url, event_types=body.event_types,
                                                      description=body.description)
    return _out(endpoint, EndpointWithSecret, secret=secret)


@router.get("/endpoints", response_model=EndpointPage)
async def list_endpoints(principal: CurrentPrincipal, uow: UoW, limit: Limit = 50, cursor: str | None = None,
                         provider_id: str | None = None) -> EndpointPage:
    """Your organisation's endpoints (admins: all, or one provider's)."""
    rows = await handlers.list_endpoints(uow, principal, provider_id=provider_id, after_id=cursor, limit=limit)
    return EndpointPage(items=[_out(e) for e in rows], next_cursor=rows[-1].id if len(rows) == limit else None)


@router.get("/endpoints/{endpoint_id}", response_model=EndpointOut)
async def get_endpoint(endpoint_id: str, principal: CurrentPrincipal, uow: UoW) -> EndpointOut:
    """One endpoint."""
    return _out(await handlers.get_endpoint(uow, principal, endpoint_id))


@router.patch("/endpoints/{endpoint_id}", response_model=EndpointOut)
async def update_endpoint(endpoint_id: str, body: EndpointPatch, principal: CurrentPrincipal, uow: UoW
                          ) -> EndpointOut:
    """Change an endpoint's URL, event types, description, or (de)activate it."""
    changes = body.model_dump(exclude_unset=True)
    return _out(await handlers.update_endpoint(uow, principal, endpoint_id, changes))


@router.delete("/endpoints/{endpoint_id}", status_code=204)
async def delete_endpoint(endpoint_id: str, principal: CurrentPrincipal, uow: UoW) -> Response:
    """Delete an endpoint; its pending deliveries are cancelled."""
    await handlers.delete_endpoint(uow, principal, endpoint_id)
    return Response(status_code=204)


@router.post("/endpoints/{endpoint_id}/rotate-secret", response_model=RotatedSecret)
async def rotate_secret(endpoint_id: str, principal: CurrentPrincipal, uow: UoW, settings: AppSettings,
                        body: RotateIn | None = None) -> RotatedSecret:
    """A new signing secret; both are used to sign during the overlap period."""
    overlap = body.overlap_seconds if body and body.overlap_seconds is not None else settings.secret_overlap_s
    secret, until = await handlers.rotate_secret(uow, principal, endpoint_id, overlap)
    return RotatedSecret(secret=secret, previous_secret_expires_at=until)
