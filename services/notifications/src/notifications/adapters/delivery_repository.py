"""Deliveries: claimed with FOR UPDATE SKIP LOCKED and a lease, outcomes logged per attempt."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from notifications.adapters.tables import delivery_attempts, deliveries, notifications


@dataclass(frozen=True)
class Claimed:
    seq: int
    id: str
    notification_id: str
    channel: str
    recipient: str
    address: str | None
    endpoint_id: str | None
    payload: str | None
    attempt: int  # the number of this attempt, counting from 1
    claim_token: str
    event_type: str
    title: str
    link: str | None
    reference: str | None


@dataclass(frozen=True)
class Outcome:
    delivery: Claimed
    attempted_at: datetime
    ok: bool
    response_code: int | None
    error: str | None
    duration_ms: int
    next_attempt_at: datetime | None  # None after a failure means: give up


@dataclass(frozen=True)
class DeliveryFilter:
    provider_id: str | None = None  # None: every provider's (admins)
    status: str | None = None
    channel: str | None = None
    endpoint_id: str | None = None
    event_type: str | None = None
    referral_id: str | None = None


class DeliveryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def claim(self, now: datetime, *, lease_s: float, limit: int, token: str) -> list[Claimed]:
        """Take due deliveries for `lease_s`; if the sender dies they fall due again after it."""
        d, n = deliveries.c, notifications.c
        rows = (await self.session.execute(
            select(d.seq, d.id, d.notification_id, d.channel, d.recipient, d.address, d.endpoint_id, d.payload, d.attempts,
                   d.event_type, n.title, n.link, n.reference)
            .join(notifications, n.id == d.notification_id)
            .where(d.status == "pending", d.next_attempt_at <= now)
            .order_by(d.next_attempt_at)
            .limit(limit)
            .with_for_update(skip_locked=True, of=deliveries)
        )).all()
        if not rows:
            return []
        await self.session.execute(
            update(deliveries).where(d.seq.in_([r.seq for r in rows])).values(
                attempts=d.attempts + 1, claim_token=token, next_attempt_at=now + timedelta(seconds=lease_s)
            )
        )
        return [
            Claimed(seq=r.seq, id=r.id, notification_id=r.notification_id, channel=r.channel, recipient=r.recipient, address=r.address,
                    endpoint_id=r.endpoint_id, payload=r.payload, attempt=r.attempts + 1, claim_token=token,
                    event_type=r.event_type, title=r.title, link=r.link, reference=r.reference)
            for r in rows
        ]

    async def finish(self, outcomes: list[Outcome]) -> list[Outcome]:
        """Log every attempt and move each delivery on; returns the deliveries that just failed for good."""
        if not outcomes:
            return []
        await self.session.execute(delivery_attempts.insert(), [
            {"delivery_id": o.delivery.id, "attempted_at": o.attempted_at, "channel": o.delivery.channel,
             "outcome": "delivered" if o.ok else "failed", "response_code": o.response_code,
             "error": o.error, "duration_ms": o.duration_ms}
            for o in outcomes
        ])
        d = deliveries.c
        mine = (d.seq == bindparam("b_seq")) & (d.claim_token == bindparam("b_token"))
        common = {"claim_token": None, "last_response_code": bindparam("b_code"), "last_error": bindparam("b_error")}
        delivered = [o for o in outcomes if o.ok]
        retrying = [o for o in outcomes if not o.ok and o.next_attempt_at is not None]
        failed = [o for o in outcomes if not o.ok and o.next_attempt_at is None]
        if delivered:
            await self.session.execute(
                update(deliveries).where(mine).values(status="delivered", delivered_at=bindparam("b_at"),
                                                      next_attempt_at=None, **common),
                [self._params(o, b_at=o.attempted_at) for o in delivered],
            )
        if retrying:
            await self.session.execute(
                update(deliveries).where(mine).values(next_attempt_at=bindparam("b_next"), **common),
                [self._params(o, b_next=o.next_attempt_at) for o in retrying],
            )
        if failed:
            await self.session.execute(
                update(deliveries).where(mine).values(status="failed", failed_at=bindparam("b_at"),
                                                      next_attempt_at=None, **common),
                [self._params(o, b_at=o.attempted_at) for o in failed],
            )
        return failed

    @staticmethod
    def _params(o: Outcome, **extra: Any) -> dict[str, Any]:
        return {"b_seq": o.delivery.seq, "b_token": o.delivery.claim_token, "b_code": o.response_code,
                "b_error": o.error, **extra}

    async def set_address(self, seq: int, address: str) -> None:
        await self.session.execute(update(deliveries).where(deliveries.c.seq == seq).values(address=address))

    async def list(self, flt: DeliveryFilter, *, before_seq: int | None, limit: int) -> list[Any]:
        d = deliveries.c
        query = select(deliveries)
        for column, value in ((d.provider_id, flt.provider_id), (d.status, flt.status), (d.channel, flt.channel),
                              (d.endpoint_id, flt.endpoint_id), (d.event_type, flt.event_type)):
            if value is not None:
                query = query.where(column == value)
        if flt.referral_id is not None:
            query = query.where(d.notification_id.in_(
                select(notifications.c.id).where(notifications.c.referral_id == flt.referral_id)))
        if before_seq is not None:
            query = query.where(d.seq < before_seq)
        return list((await self.session.execute(query.order_by(d.seq.desc()).limit(limit))).all())

    async def get(self, delivery_id: str) -> Any | None:
        return (await self.session.execute(select(deliveries).where(deliveries.c.id == delivery_id))).first()

    async def attempts(self, delivery_id: str) -> list[Any]:
        a = delivery_attempts.c
        return list((await self.session.execute(
            select(delivery_attempts).where(a.delivery_id == delivery_id).order_by(a.seq)
        )).all())

    async def redeliver(self, delivery_id: str, now: datetime) -> None:
        await self.session.execute(update(deliveries).where(deliveries.c.id == delivery_id).values(
            status="pending", attempts=0, next_attempt_at=now, claim_token=None, failed_at=None,
        ))

    async def cancel_pending_for_endpoint(self, endpoint_id: str) -> None:
        d = deliveries.c
        await self.session.execute(update(deliveries).where(d.endpoint_id == endpoint_id, d.status == "pending")
                                   .values(status="cancelled", next_attempt_at=None))
