"""Handlers for events from other services: the catalogue read model and capacity decisions."""
from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from crs_shared.db import utcnow
from crs_shared.events import topics
from crs_shared.events.envelope import EventEnvelope
from crs_shared.inbox import Consumer
from referrals.service import capacity
from referrals.service.uow import Context


def build_consumers(ctx: Context) -> list[Consumer]:
    catalogue = Consumer("referrals-catalogue", [topics.CATALOGUE])
    contracts = Consumer("referrals-capacity", [topics.CONTRACTS])

    async def store_intervention(session: AsyncSession, envelope: EventEnvelope) -> None:
        snapshot = envelope.payload().model_dump(mode="json")
        await ctx.joined(session).catalogue.store_intervention(
            snapshot, closed=envelope.type == "intervention.closed", now=utcnow())

    for event_type in ("intervention.published", "intervention.updated", "intervention.closed"):
        catalogue.on(event_type)(store_intervention)

    async def store_caseworker(session: AsyncSession, envelope: EventEnvelope) -> None:
        cw = envelope.payload()
        await ctx.joined(session).catalogue.store_caseworker(cw.caseworker_id, cw.provider_id, cw.active, utcnow())

    catalogue.on("provider.caseworker_added")(store_caseworker)
    catalogue.on("provider.caseworker_updated")(store_caseworker)

    @contracts.on("contract.referral_counted")
    async def counted(session: AsyncSession, envelope: EventEnvelope) -> None:
        await capacity.referral_counted(ctx, ctx.joined(session), envelope.payload())

    @contracts.on("contract.referral_waitlisted")
    async def waitlisted(session: AsyncSession, envelope: EventEnvelope) -> None:
        await capacity.referral_waitlisted(ctx, ctx.joined(session), envelope.payload())

    return [catalogue, contracts]
