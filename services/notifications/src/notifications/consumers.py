"""Handlers for events from other services: update the read models, then record notifications."""
from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from crs_shared.events import topics
from crs_shared.events.envelope import EventEnvelope
from crs_shared.inbox import Consumer
from crs_shared.outbox import Outbox
from notifications.domain.rules import notified_event_types
from notifications.service.projection import project
from notifications.service.routing import notify
from notifications.service.uow import NotificationsUoW
from notifications.service.wakeup import Wakeup
from notifications.settings import Settings

SERVICE = "notifications"
READ_MODEL_EVENTS = (
    "provider.registered", "provider.updated", "provider.caseworker_added", "provider.caseworker_updated",
    "referral.submitted",
)


def build_consumers(
    settings: Settings, outbox: Outbox, name: str = SERVICE, wakeup: Wakeup | None = None
) -> list[Consumer]:
    """The consumer; `wakeup` is rung after each commit that recorded deliveries."""
    consumer = Consumer(name=name, topics=[topics.CATALOGUE, topics.REFERRALS, topics.CONTRACTS])

    async def handle(session: AsyncSession, envelope: EventEnvelope) -> None:
        uow = NotificationsUoW.joining(session, outbox, SERVICE)
        referral = await project(uow, envelope)
        if await notify(uow, envelope, settings, referral=referral) and wakeup is not None:
            wakeup.ring_after_commit(session)  # the delivery loops start at once, not at their next poll
        await uow.commit()

    for event_type in sorted({*READ_MODEL_EVENTS, *notified_event_types()}):
        consumer.on(event_type)(handle)
    return [consumer]
