"""The local copy of the catalogue: intervention versions and caseworkers."""
from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from referrals.adapters.tables import caseworkers, intervention_versions
from referrals.domain.catalogue import CategoryOffer, InterventionVersion


class CatalogueRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _insert(self, table: Any) -> Any:
        return (pg_insert if self.session.bind.dialect.name == "postgresql" else sqlite_insert)(table)

    async def store_intervention(self, snapshot: dict[str, Any], *, closed: bool, now: datetime) -> None:
        """Keep every version; a close marks the version it names (and later events may reopen none)."""
        stmt = self._insert(intervention_versions).values(
            intervention_id=uuid.UUID(str(snapshot["intervention_id"])), version=snapshot["version"],
            snapshot=snapshot, closed=closed, updated_at=now,
        )
        set_: dict[str, Any] = {"snapshot": stmt.excluded.snapshot, "updated_at": stmt.excluded.updated_at}
        if closed:
            set_["closed"] = True
        await self.session.execute(stmt.on_conflict_do_update(
            index_elements=["intervention_id", "version"], set_=set_))

    async def latest(self, intervention_id: uuid.UUID) -> InterventionVersion | None:
        rows = (await self.session.execute(
            select(intervention_versions).where(intervention_versions.c.intervention_id == intervention_id)
            .order_by(intervention_versions.c.version.desc())
        )).mappings().all()
        if not rows:
            return None
        # A close names the version it closes; a later published version reopens.
        return _version(rows[0]["snapshot"], rows[0]["closed"])

    async def version(self, intervention_id: uuid.UUID, version: int) -> InterventionVersion | None:
        row = (await self.session.execute(
            select(intervention_versions).where(intervention_versions.c.intervention_id == intervention_id,
                                                intervention_versions.c.version == version)
        )).mappings().first()
        return _version(row["snapshot"], row["closed"]) if row else None

    async def store_caseworker(self, caseworker_id: uuid.UUID, provider_id: uuid.UUID, active: bool,
                               now: datetime) -> None:
        stmt = self._insert(caseworkers).values(caseworker_id=caseworker_id, provider_id=provider_id, active=active,
                                                updated_at=now)
        await self.session.execute(stmt.on_conflict_do_update(
            index_elements=["caseworker_id"],
            set_={"provider_id": stmt.excluded.provider_id, "active": stmt.excluded.active,
                  "updated_at": stmt.excluded.updated_at}))

    async def caseworker_of(self, caseworker_id: uuid.UUID, provider_id: uuid.UUID) -> bool:
        """Is this an active caseworker of that provider?"""
        row = (await self.session.execute(
            select(caseworkers.c.provider_id, caseworkers.c.active).where(caseworkers.c.caseworker_id == caseworker_id)
        )).first()
        return row is not None and row.provider_id == provider_id and row.active


def _version(s: dict[str, Any], closed: bool) -> InterventionVersion:
    eligibility = s["eligibility"]
    return InterventionVersion(
        intervention_id=uuid.UUID(str(s["intervention_id"])), version=s["version"], contract_type=s["contract_type"],
        contract_reference=s["contract_reference"], region_code=s["region_code"], area_kind=s["area_kind"],
        area_code=s["area_code"], covered_pcc_areas=tuple(s["covered_pcc_areas"]),
        minimum_age=eligibility["minimum_age"], maximum_age=eligibility.get("maximum_age"),
        allows_male=eligibility["allows_male"], allows_female=eligibility["allows_female"],
        prime_provider_id=uuid.UUID(str(s["prime_provider_id"])),
        subcontractor_provider_ids=tuple(uuid.UUID(str(p)) for p in s["subcontractor_provider_ids"]),
        categories=tuple(CategoryOffer(c["code"], tuple(c["complexity_levels"]), tuple(c["desired_outcome_codes"]))
                         for c in s["service_categories"]),
        open_from=date.fromisoformat(s["open_from"]),
        open_to=date.fromisoformat(s["open_to"]) if s.get("open_to") else None,
        closed=closed, title=s.get("title", ""),
    )
