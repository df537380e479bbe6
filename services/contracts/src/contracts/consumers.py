"""Handlers for events from other services: referral decisions and delivery counters."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from crs_shared.events import topics
from crs_shared.events.envelope import EventEnvelope
from crs_shared.inbox import Consumer
from crs_shared.outbox import Outbox

from contracts.service import capacity
from contracts.service.uow import ContractsUnitOfWork

CONSUMER = "contracts.referrals"
PRODUCER = "contracts"

HANDLERS: dict[str, Callable[[ContractsUnitOfWork, Any], Awaitable[None]]] = {
    "referral.submitted": capacity.record_submitted,
    "referral.withdrawn": capacity.record_withdrawn,
    "referral.assessment_attended": capacity.record_started,
    "referral.completed": capacity.record_completed,
}


def build_consumers(outbox: Outbox) -> list[Consumer]:
    consumer = Consumer(CONSUMER, [topics.REFERRALS])
    for event_type, use_case in HANDLERS.items():
        consumer.on(event_type)(_joined(use_case, outbox))
    return [consumer]


def _joined(use_case: Callable[[ContractsUnitOfWork, Any], Awaitable[None]], outbox: Outbox):
    async def handle(session: AsyncSession, envelope: EventEnvelope) -> None:
        # The runner owns the transaction (with the inbox row); events go to the outbox in it.
        uow = ContractsUnitOfWork.joining(session, outbox, PRODUCER)
        await use_case(uow, envelope.payload())
        await uow.commit()

    return handle
