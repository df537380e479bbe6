"""At-risk alerts already raised, per contract year and risk kind. Never commits."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.adapters import tables as t

K = t.contract_risks


class RiskRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def raised(self, contract_id: str, year_number: int) -> set[str]:
        rows = await self.session.execute(
            select(K.c.risk).where(K.c.contract_id == contract_id, K.c.year_number == year_number))
        return set(rows.scalars())

    async def raised_all(self) -> dict[tuple[str, int], set[str]]:
        """Every raised risk by (contract, year): one small query for the periodic check."""
        out: dict[tuple[str, int], set[str]] = defaultdict(set)
        for row in await self.session.execute(select(K.c.contract_id, K.c.year_number, K.c.risk)):
            out[(row.contract_id, row.year_number)].add(row.risk)
        return out

    async def add(self, contract_id: str, year_number: int, risk: str, projected_volume: int,
                  raised_at: datetime) -> None:
        await self.session.execute(insert(K).values(contract_id=contract_id, year_number=year_number, risk=risk,
                                                    projected_volume=projected_volume, raised_at=raised_at))
