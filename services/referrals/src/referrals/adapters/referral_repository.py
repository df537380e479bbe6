"""Loads and saves referral aggregates. Never commits: the unit of work does."""
from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from crs_shared.errors import Conflict
from referrals.adapters.tables import (
    referral_amendments, referral_deadlines, referral_providers, referral_transitions, referrals,
)
from referrals.domain.referral import Practitioner, Referral
from referrals.domain.sla import Deadline, Sla
from referrals.domain.states import State

DELIVERY_FIELDS = ("assessment", "action_plan", "sessions", "end_of_service_report", "withdrawal")


class ReferralRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, referral: Referral) -> None:
        await self.session.execute(insert(referrals).values(**_row(referral), version=0))
        await self._write_children(referral)

    async def get(self, referral_id: uuid.UUID, *, for_update: bool = False) -> Referral | None:
        query = select(referrals).where(referrals.c.id == referral_id)
        if for_update:
            query = query.with_for_update()
        row = (await self.session.execute(query)).mappings().first()
        if row is None:
            return None
        deadlines = (await self.session.execute(
            select(referral_deadlines).where(referral_deadlines.c.referral_id == referral_id)
        )).mappings().all()
        return _referral(row, deadlines)

    async def save(self, referral: Referral) -> None:
        result = await self.session.execute(
            update(referrals)
            .where(referrals.c.id == referral.id, referrals.c.version == referral.version)
            .values(**_row(referral), version=referral.version + 1)
        )
        if result.rowcount != 1:
            raise Conflict("the referral was changed by someone else; try again")
        referral.version += 1
        await self._write_children(referral)

    async def claim_reference(self, referral: Referral, candidates: Iterable[str]) -> str:
        """Give the referral the first candidate reference nobody else has (unique index decides)."""
        for candidate in candidates:
            try:
                async with self.session.begin_nested():
                    await self.session.execute(
                        update(referrals).where(referrals.c.id == referral.id).values(reference=candidate)
                    )
            except IntegrityError:
                continue
            referral.reference = candidate
            return candidate
        raise RuntimeError("no free reference number after several attempts")

    async def delete_drafts_untouched_since(self, before: datetime) -> int:
        result = await self.session.execute(
            delete(referrals).where(referrals.c.state == State.DRAFT.value, referrals.c.updated_at < before)
        )
        return result.rowcount or 0

    async def _write_children(self, referral: Referral) -> None:
        if referral.transitions:
            await self.session.execute(insert(referral_transitions), [
                {"referral_id": referral.id, "action": t.action, "from_state": t.from_state, "to_state": t.to_state,
                 "actor": t.actor, "actor_id": t.actor_id, "at": t.at, "detail": t.detail}
                for t in referral.transitions
            ])
            if any(t.action == "submit" for t in referral.transitions):
                await self.session.execute(insert(referral_providers), [
                    {"referral_id": referral.id, "provider_id": p} for p in dict.fromkeys(referral.provider_ids)
                ])
            referral.transitions = []
        if referral.amendments:
            await self.session.execute(insert(referral_amendments), [
                {"referral_id": referral.id, "field": a.field, "old_value": a.old, "new_value": a.new,
                 "reason": a.reason, "actor_id": a.actor_id, "at": a.at}
                for a in referral.amendments
            ])
            referral.amendments = []
        for deadline in referral.deadlines.values():
            await self._upsert_deadline(referral.id, deadline)

    async def _upsert_deadline(self, referral_id: uuid.UUID, deadline: Deadline) -> None:
        dialect_insert = pg_insert if self.session.bind.dialect.name == "postgresql" else sqlite_insert
        stmt = dialect_insert(referral_deadlines).values(
            referral_id=referral_id, sla=deadline.sla.value, due_date=deadline.due_date, due_at=deadline.due_at,
            resolved_at=deadline.resolved_at, resolution=deadline.resolution,
        )
        # breached_at belongs to the timer alone: never overwritten from the aggregate.
        await self.session.execute(stmt.on_conflict_do_update(
            index_elements=["referral_id", "sla"],
            set_={"resolved_at": stmt.excluded.resolved_at, "resolution": stmt.excluded.resolution},
        ))


def _row(r: Referral) -> dict[str, Any]:
    return {
        "id": r.id, "reference": r.reference, "state": r.state.value, "crn": r.details.person.get("crn"),
        "intervention_id": r.intervention_id or r.details.intervention_id, "intervention_version": r.intervention_version,
        "contract_type": r.contract_type, "contract_reference": r.contract_reference, "region_code": r.region_code,
        "prime_provider_id": r.prime_provider_id, "contract_id": r.contract_id, "caseworker_id": r.caseworker_id,
        "created_by": r.practitioner.subject, "practitioner_email": r.practitioner.email,
        "team_code": r.practitioner.team_code, "practitioner_region": r.practitioner.region_code,
        "content": r.content, "redirected_from": r.redirected_from,
        "delivery": {**{name: getattr(r, name) for name in DELIVERY_FIELDS},
                     "subcontractor_provider_ids": [str(p) for p in r.subcontractor_provider_ids]},
        "created_at": r.created_at, "updated_at": r.updated_at, "submitted_at": r.submitted_at,
        "sent_at": r.sent_at, "concluded_at": r.concluded_at,
    }


def _referral(row: Any, deadlines: Any) -> Referral:
    delivery = dict(row["delivery"] or {})
    submitted = row["intervention_version"] is not None
    return Referral(
        id=row["id"], state=State(row["state"]), content=row["content"],
        practitioner=Practitioner(row["created_by"], row["practitioner_email"], row["team_code"],
                                  row["practitioner_region"]),
        created_at=row["created_at"], updated_at=row["updated_at"], reference=row["reference"],
        intervention_id=row["intervention_id"] if submitted else None,
        intervention_version=row["intervention_version"], contract_type=row["contract_type"],
        contract_reference=row["contract_reference"], region_code=row["region_code"],
        prime_provider_id=row["prime_provider_id"],
        subcontractor_provider_ids=tuple(uuid.UUID(p) for p in delivery.pop("subcontractor_provider_ids", [])),
        contract_id=row["contract_id"], submitted_at=row["submitted_at"], sent_at=row["sent_at"],
        concluded_at=row["concluded_at"], caseworker_id=row["caseworker_id"],
        assessment=delivery.get("assessment"), action_plan=delivery.get("action_plan"),
        sessions=list(delivery.get("sessions") or []), end_of_service_report=delivery.get("end_of_service_report"),
        withdrawal=delivery.get("withdrawal"), redirected_from=row["redirected_from"],
        deadlines={Sla(d["sla"]): Deadline(Sla(d["sla"]), d["due_date"], d["due_at"], d["resolved_at"],
                                           d["resolution"], d["breached_at"]) for d in deadlines},
        version=row["version"],
    )
