"""Local copies of what other services told us: provider mailboxes, caseworker emails, referrals."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from crs_shared.db import utcnow
from notifications.adapters.dialect import insert, reused
from notifications.adapters.tables import caseworkers, providers, referrals


@dataclass(frozen=True)
class ReferralView:
    referral_id: str
    reference: str | None
    prime_provider_id: str | None
    subcontractor_provider_ids: list[str]
    practitioner_id: str | None
    practitioner_email: str | None
    caseworker_id: str | None
    region_code: str | None


def _referral_view(row: Any) -> ReferralView:
    return ReferralView(
        referral_id=row.referral_id, reference=row.reference, prime_provider_id=row.prime_provider_id,
        subcontractor_provider_ids=json.loads(row.subcontractor_provider_ids or "[]"),
        practitioner_id=row.practitioner_id, practitioner_email=row.practitioner_email,
        caseworker_id=row.caseworker_id, region_code=row.region_code,
    )


class ReadModelRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def save_provider(self, provider_id: str, referral_mailbox: str, status: str) -> None:
        values = {"referral_mailbox": referral_mailbox, "status": status, "updated_at": utcnow()}
        stmt = insert(self.session, providers).values(provider_id=provider_id, **values)
        await self.session.execute(stmt.on_conflict_do_update(index_elements=["provider_id"], set_=values))

    async def save_caseworker(self, caseworker_id: str, provider_id: str, email: str, active: bool) -> None:
        values = {"provider_id": provider_id, "email": email, "active": active, "updated_at": utcnow()}
        stmt = insert(self.session, caseworkers).values(caseworker_id=caseworker_id, **values)
        await self.session.execute(stmt.on_conflict_do_update(index_elements=["caseworker_id"], set_=values))

    async def save_referral(self, referral_id: str, **fields: Any) -> ReferralView:
        """Insert or update the referral with the fields the event carried (None means 'not told').

        Returns the referral as it now stands (one statement: the upsert returns the row)."""
        known = {k: v for k, v in fields.items() if v is not None}
        if "subcontractor_provider_ids" in known:
            known["subcontractor_provider_ids"] = json.dumps([str(i) for i in known["subcontractor_provider_ids"]])
        known["updated_at"] = utcnow()
        columns = tuple(sorted(known))

        def build(insert: Any) -> Any:
            stmt = insert(referrals).values({c: bindparam(c) for c in ("referral_id", *columns)})
            return stmt.on_conflict_do_update(index_elements=["referral_id"],
                                              set_={c: stmt.excluded[c] for c in columns}).returning(*referrals.c)

        stmt = reused(self.session, ("save_referral", columns), build)
        return _referral_view((await self.session.execute(stmt, {"referral_id": referral_id, **known})).one())

    async def referral(self, referral_id: str) -> ReferralView | None:
        row = (await self.session.execute(select(referrals).where(referrals.c.referral_id == referral_id))).first()
        return None if row is None else _referral_view(row)


    async def provider_mailbox(self, provider_id: str) -> str | None:
        return (await self.session.execute(_MAILBOX, {"provider_id": provider_id})).scalar_one_or_none()

    async def active_caseworker_email(self, caseworker_id: str) -> str | None:
        return (await self.session.execute(_CASEWORKER_EMAIL, {"caseworker_id": caseworker_id})).scalar_one_or_none()


# Built once: the consumer runs these for every event.
_MAILBOX = select(providers.c.referral_mailbox).where(providers.c.provider_id == bindparam("provider_id"))
_CASEWORKER_EMAIL = select(caseworkers.c.email).where(
    caseworkers.c.caseworker_id == bindparam("caseworker_id"), caseworkers.c.active)
