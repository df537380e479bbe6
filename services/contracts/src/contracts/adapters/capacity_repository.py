"""Per contract-year counters (read under a row lock), decided referrals and the waitlist. Never commits."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.adapters import tables as t
from contracts.adapters.mapping import terms_from_row
from contracts.domain.capacity import YearVolume

Y = t.contract_years
R = t.contract_referrals


@dataclass(frozen=True)
class ContractHead:
    """What a capacity decision needs to know about the contract itself."""

    id: str
    reference: str
    region_code: str
    cap_policy: str
    thresholds: tuple[int, ...]


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def year_volume(head: ContractHead, row: Any) -> YearVolume:
    return YearVolume(volume=row.volume, terms=terms_from_row(row), cap_policy=head.cap_policy,
                      thresholds=head.thresholds, reached=frozenset(row.thresholds_reached or []))


class CapacityRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def head_by_reference(self, reference: str) -> ContractHead | None:
        return await self._head(t.contracts.c.reference == reference)

    async def head(self, contract_id: str) -> ContractHead | None:
        return await self._head(t.contracts.c.id == contract_id)

    async def _head(self, condition: Any) -> ContractHead | None:
        c = t.contracts.c
        row = (await self.session.execute(
            select(c.id, c.reference, c.region_code, c.cap_policy, c.thresholds).where(condition))).first()
        if row is None:
            return None
        return ContractHead(row.id, row.reference, row.region_code, row.cap_policy, tuple(row.thresholds))

    async def lock_year_on(self, contract_id: str, day: date) -> Any:
        """The contract year covering `day` (the first or last one outside the term), row-locked."""
        query = select(Y).where(Y.c.contract_id == contract_id).with_for_update()
        row = (await self.session.execute(
            query.where(Y.c.start_date <= day).order_by(Y.c.year_number.desc()).limit(1))).first()
        if row is None:
            row = (await self.session.execute(query.order_by(Y.c.year_number).limit(1))).first()
        return row

    async def lock_year(self, contract_id: str, year_number: int) -> Any:
        return (await self.session.execute(
            select(Y).where(Y.c.contract_id == contract_id, Y.c.year_number == year_number).with_for_update()
        )).first()

    async def update_year(self, contract_id: str, year_number: int, **values: Any) -> None:
        await self.session.execute(
            update(Y).where(Y.c.contract_id == contract_id, Y.c.year_number == year_number).values(**values))

    async def bump_year(self, contract_id: str, year_number: int, **deltas: Any) -> None:
        """Atomic increments of counters (no read needed)."""
        await self.session.execute(update(Y).where(Y.c.contract_id == contract_id, Y.c.year_number == year_number)
                                   .values(**{k: getattr(Y.c, k) + v for k, v in deltas.items()}))

    async def bump_week(self, contract_id: str, year_number: int, day: date, **deltas: int) -> None:
        w = t.weekly_counters
        dialect_insert = pg_insert if self.session.bind.dialect.name == "postgresql" else sqlite_insert
        stmt = dialect_insert(w).values(
            contract_id=contract_id, year_number=year_number, week_start=week_of(day),
            **{k: deltas.get(k, 0) for k in ("counted", "waitlisted", "started", "completed", "withdrawn")})
        await self.session.execute(stmt.on_conflict_do_update(
            index_elements=["contract_id", "year_number", "week_start"],
            set_={k: getattr(w.c, k) + getattr(stmt.excluded, k) for k in deltas}))

    async def referral(self, referral_id: str, *, for_update: bool = False) -> Any:
        query = select(R).where(R.c.referral_id == referral_id).order_by(R.c.seq.desc()).limit(1)
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).first()

    async def decided_on(self, contract_id: str, referral_id: str) -> bool:
        found = await self.session.execute(
            select(R.c.seq).where(R.c.contract_id == contract_id, R.c.referral_id == referral_id))
        return found.first() is not None

    async def add_referral(self, **values: Any) -> None:
        await self.session.execute(insert(R).values(**values))

    async def update_referral(self, seq: int, **values: Any) -> int:
        result = await self.session.execute(update(R).where(R.c.seq == seq).values(**values))
        return result.rowcount

    async def mark_once(self, seq: int, flag: str) -> bool:
        """Set `started` or `completed` on a referral; True only the first time."""
        column = getattr(R.c, flag)
        result = await self.session.execute(update(R).where(R.c.seq == seq, column.is_(False)).values({flag: True}))
        return result.rowcount == 1

    async def oldest_waitlisted(self, contract_id: str, up_to_year: int) -> Any:
        query = (select(R).where(R.c.contract_id == contract_id, R.c.status == "waitlisted",
                                 R.c.year_number <= up_to_year)
                 .order_by(R.c.seq).limit(1))
        if self.session.bind.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        return (await self.session.execute(query)).first()

    async def waitlist_length(self, contract_id: str) -> int:
        """Referrals waiting on a contract, from the per-year counters (no scan of referrals)."""
        return (await self.session.execute(select(func.coalesce(func.sum(Y.c.waitlisted), 0)).where(
            Y.c.contract_id == contract_id))).scalar_one()

    async def contracts_with_waitlist(self) -> list[str]:
        return list((await self.session.execute(
            select(Y.c.contract_id).where(Y.c.waitlisted > 0).distinct())).scalars())

    async def add_unmatched(self, *, referral_id: str, contract_reference: str, region_code: str,
                            submitted_at: datetime, received_at: datetime, event: dict[str, Any]) -> None:
        u = t.unmatched_referrals
        dialect_insert = pg_insert if self.session.bind.dialect.name == "postgresql" else sqlite_insert
        await self.session.execute(dialect_insert(u).values(
            referral_id=referral_id, contract_reference=contract_reference, region_code=region_code,
            submitted_at=submitted_at, received_at=received_at, event=event,
        ).on_conflict_do_nothing(index_elements=["referral_id"]))

    async def take_unmatched(self, reference: str) -> list[Any]:
        u = t.unmatched_referrals
        rows = (await self.session.execute(select(u).where(u.c.contract_reference == reference)
                                           .order_by(u.c.submitted_at, u.c.referral_id))).all()
        if rows:
            await self.session.execute(delete(u).where(u.c.contract_reference == reference))
        return list(rows)

    async def drop_unmatched(self, referral_id: str) -> bool:
        u = t.unmatched_referrals
        result = await self.session.execute(delete(u).where(u.c.referral_id == referral_id))
        return result.rowcount == 1

    async def unmatched(self, limit: int = 200) -> list[Any]:
        u = t.unmatched_referrals
        return list((await self.session.execute(
            select(u.c.referral_id, u.c.contract_reference, u.c.region_code, u.c.submitted_at, u.c.received_at)
            .order_by(u.c.received_at).limit(limit))).all())
