"""Interventions in the database: immutable versions plus a searchable head row. Never commits."""
from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import and_, delete, exists, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from crs_shared.db import utcnow
from providers.adapters import definitions
from providers.adapters import tables as t
from providers.domain.intervention import Intervention, InterventionVersion
from providers.domain.search import SearchQuery

_HEAD = (t.interventions.c.id, t.interventions.c.status, t.interventions.c.closed_at,
         t.intervention_versions.c.version, t.intervention_versions.c.definition,
         t.intervention_versions.c.published_at)
_CURRENT = and_(t.intervention_versions.c.intervention_id == t.interventions.c.id,
                t.intervention_versions.c.version == t.interventions.c.current_version)


def _intervention(row: Any) -> Intervention:
    version = InterventionVersion(row.version, definitions.loads(row.definition), row.published_at)
    return Intervention(id=row.id, current=version, status=row.status, closed_at=row.closed_at)


class InterventionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, intervention_id: uuid.UUID, *, for_update: bool = False) -> Intervention | None:
        stmt = select(*_HEAD).join(t.intervention_versions, _CURRENT).where(t.interventions.c.id == intervention_id)
        if for_update:
            stmt = stmt.with_for_update(of=t.interventions)
        row = (await self.session.execute(stmt)).first()
        return _intervention(row) if row else None

    async def get_version(self, intervention_id: uuid.UUID, number: int) -> InterventionVersion | None:
        row = (await self.session.execute(
            select(t.intervention_versions).where(
                t.intervention_versions.c.intervention_id == intervention_id,
                t.intervention_versions.c.version == number,
            )
        )).first()
        return InterventionVersion(row.version, definitions.loads(row.definition), row.published_at) if row else None

    async def live_reference_taken(self, contract_reference: str, excluding: uuid.UUID | None = None) -> bool:
        stmt = select(t.interventions.c.id).where(
            t.interventions.c.contract_reference == contract_reference, t.interventions.c.status == "open"
        )
        if excluding is not None:
            stmt = stmt.where(t.interventions.c.id != excluding)
        return (await self.session.execute(stmt.limit(1))).first() is not None

    async def live_references(self, references: list[str]) -> set[str]:
        if not references:
            return set()
        rows = await self.session.execute(select(t.interventions.c.contract_reference).where(
            t.interventions.c.contract_reference.in_(references), t.interventions.c.status == "open"))
        return {r[0] for r in rows}

    async def add(self, intervention: Intervention, covered_pcc_areas: list[str], region_code: str) -> None:
        await self.session.execute(t.interventions.insert().values(
            id=intervention.id, created_at=utcnow(), **self._head(intervention, region_code)))
        await self._write_version(intervention)
        await self._write_links(intervention, covered_pcc_areas)

    async def save(self, intervention: Intervention, covered_pcc_areas: list[str], region_code: str) -> None:
        await self.session.execute(t.interventions.update().where(t.interventions.c.id == intervention.id)
                                   .values(**self._head(intervention, region_code)))
        if "intervention.updated" in intervention.events:
            await self._write_version(intervention)
            for table in (t.intervention_coverage, t.intervention_categories, t.intervention_providers):
                await self.session.execute(delete(table).where(table.c.intervention_id == intervention.id))
            await self._write_links(intervention, covered_pcc_areas)

    @staticmethod
    def _head(i: Intervention, region_code: str) -> dict[str, Any]:
        d, e = i.definition, i.definition.eligibility
        return dict(
            current_version=i.version, status=i.status, closed_at=i.closed_at, title=d.title,
            contract_type=d.contract_type, contract_reference=d.contract_reference, area_kind=d.area_kind,
            area_code=d.area_code, region_code=region_code, minimum_age=e.minimum_age, maximum_age=e.maximum_age,
            allows_male=e.allows_male, allows_female=e.allows_female, open_from=d.open_from, open_to=d.open_to,
            prime_provider_id=d.prime_provider_id,
        )

    async def _write_version(self, i: Intervention) -> None:
        await self.session.execute(t.intervention_versions.insert().values(
            intervention_id=i.id, version=i.version, definition=definitions.dumps(i.definition),
            published_at=i.current.published_at))

    async def _write_links(self, i: Intervention, covered_pcc_areas: list[str]) -> None:
        d = i.definition
        await self.session.execute(t.intervention_coverage.insert(),
                                   [{"intervention_id": i.id, "pcc_area_code": code} for code in covered_pcc_areas])
        await self.session.execute(t.intervention_categories.insert(),
                                   [{"intervention_id": i.id, "category_code": c.code} for c in d.service_categories])
        chain = [{"intervention_id": i.id, "provider_id": d.prime_provider_id, "role": "prime"}]
        chain += [{"intervention_id": i.id, "provider_id": s, "role": "subcontractor"}
                  for s in d.subcontractor_provider_ids]
        await self.session.execute(t.intervention_providers.insert(), chain)

    async def search(self, q: SearchQuery) -> list[Intervention]:
        """One page (limit + 1 rows, to tell whether there is a next page), sorted by title then id."""
        i = t.interventions
        stmt = select(*_HEAD).join(t.intervention_versions, _CURRENT)
        if q.pcc_area is not None:
            cov = t.intervention_coverage
            stmt = stmt.join(cov, and_(cov.c.intervention_id == i.c.id, cov.c.pcc_area_code == q.pcc_area))
        if not q.include_closed:
            stmt = stmt.where(i.c.status == "open")
        if q.service_category is not None:
            cats = t.intervention_categories
            stmt = stmt.where(exists().where(cats.c.intervention_id == i.c.id,
                                             cats.c.category_code == q.service_category))
        if q.provider_id is not None:
            chain = t.intervention_providers
            stmt = stmt.where(exists().where(chain.c.intervention_id == i.c.id, chain.c.provider_id == q.provider_id))
        if q.age is not None:
            stmt = stmt.where(i.c.minimum_age <= q.age, or_(i.c.maximum_age.is_(None), i.c.maximum_age >= q.age))
        if q.sex == "male":
            stmt = stmt.where(i.c.allows_male.is_(True))
        elif q.sex == "female":
            stmt = stmt.where(i.c.allows_female.is_(True))
        if q.open_on is not None:
            stmt = stmt.where(i.c.open_from <= q.open_on, or_(i.c.open_to.is_(None), i.c.open_to >= q.open_on))
        if q.after is not None:
            stmt = stmt.where(tuple_(i.c.title, i.c.id) > tuple_(q.after.title, q.after.id))
        stmt = stmt.order_by(i.c.title, i.c.id).limit(q.limit + 1)
        return [_intervention(r) for r in await self.session.execute(stmt)]
