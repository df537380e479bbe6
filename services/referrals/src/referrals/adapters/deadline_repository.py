"""Due service-level deadlines, claimed so that two timers never report the same one."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
import uuid

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from referrals.adapters.tables import referral_deadlines, referrals


@dataclass(frozen=True)
class DueDeadline:
    id: int
    referral_id: uuid.UUID
    reference: str | None
    sla: str
    due_at: datetime
    due_date: date


class DeadlineRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def claim_due(self, now: datetime, limit: int) -> list[DueDeadline]:
        """Unresolved, unbreached deadlines due by `now`, locked (others skip them)."""
        d = referral_deadlines
        rows = (await self.session.execute(
            select(d.c.id, d.c.referral_id, referrals.c.reference, d.c.sla, d.c.due_at, d.c.due_date)
            .join(referrals, referrals.c.id == d.c.referral_id)
            .where(d.c.resolved_at.is_(None), d.c.breached_at.is_(None), d.c.due_at <= now)
            .order_by(d.c.due_at)
            .limit(limit)
            .with_for_update(of=d, skip_locked=True)
        )).all()
        return [DueDeadline(*row) for row in rows]

    async def mark_breached(self, ids: list[int], now: datetime) -> None:
        if ids:
            await self.session.execute(
                update(referral_deadlines).where(referral_deadlines.c.id.in_(ids)).values(breached_at=now))
