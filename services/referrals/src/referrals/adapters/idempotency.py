"""Idempotency keys of submit requests: one referral per (caller, key), whatever the retries."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from referrals.adapters.tables import idempotency_keys


@dataclass(frozen=True)
class StoredKey:
    request_hash: str
    referral_id: uuid.UUID | None


class IdempotencyKeys:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def claim(self, scope: str, key: str, request_hash: str, now: datetime) -> StoredKey | None:
        """Claim the key for this transaction; None if claimed, else what the earlier request stored.

        A concurrent claim of the same key waits on the unique index until the first
        transaction ends, then sees its row (or claims it, if the first rolled back).
        """
        insert = pg_insert if self.session.bind.dialect.name == "postgresql" else sqlite_insert
        result = await self.session.execute(
            insert(idempotency_keys)
            .values(scope=scope, key=key, request_hash=request_hash, created_at=now)
            .on_conflict_do_nothing(index_elements=["scope", "key"])
        )
        if result.rowcount == 1:
            return None
        row = (await self.session.execute(
            select(idempotency_keys.c.request_hash, idempotency_keys.c.referral_id)
            .where(idempotency_keys.c.scope == scope, idempotency_keys.c.key == key)
        )).first()
        assert row is not None
        return StoredKey(row.request_hash, row.referral_id)

    async def complete(self, scope: str, key: str, referral_id: uuid.UUID) -> None:
        await self.session.execute(
            update(idempotency_keys).where(idempotency_keys.c.scope == scope, idempotency_keys.c.key == key)
            .values(referral_id=referral_id)
        )
