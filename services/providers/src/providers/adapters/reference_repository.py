"""Read-only queries over the reference data seeded by migrations."""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from providers.adapters import tables as t
from providers.domain.reference import ReferenceData


class ReferenceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _rows(self, stmt: Any) -> list[dict[str, Any]]:
        return [dict(r) for r in (await self.session.execute(stmt)).mappings()]

    async def load(self) -> ReferenceData:
        regions = await self._rows(select(t.regions.c.code))
        areas = await self._rows(select(t.pcc_areas.c.code, t.pcc_areas.c.region_code))
        links = await self._rows(select(t.contract_type_categories).order_by(t.contract_type_categories.c.position))
        cats = await self._rows(select(t.service_categories.c.code))
        outcomes = await self._rows(select(t.desired_outcomes.c.code, t.desired_outcomes.c.category_code))
        by_type: dict[str, list[str]] = defaultdict(list)
        for link in links:
            by_type[link["contract_type_code"]].append(link["category_code"])
        by_category: dict[str, set[str]] = {c["code"]: set() for c in cats}
        for o in outcomes:
            by_category[o["category_code"]].add(o["code"])
        return ReferenceData(
            region_codes=frozenset(r["code"] for r in regions),
            pcc_area_regions={a["code"]: a["region_code"] for a in areas},
            contract_type_categories={k: tuple(v) for k, v in by_type.items()},
            category_outcomes={k: frozenset(v) for k, v in by_category.items()},
        )

    async def regions(self) -> list[dict[str, Any]]:
        rows = await self._rows(select(t.regions).order_by(t.regions.c.code))
        areas = await self._rows(select(t.pcc_areas).order_by(t.pcc_areas.c.name))
        for region in rows:
            region["pcc_areas"] = [a["code"] for a in areas if a["region_code"] == region["code"]]
        return rows

    async def pcc_areas(self, region_code: str | None = None) -> list[dict[str, Any]]:
        stmt = (
            select(t.pcc_areas.c.code, t.pcc_areas.c.name, t.pcc_areas.c.region_code,
                   t.regions.c.name.label("region_name"))
            .join(t.regions, t.regions.c.code == t.pcc_areas.c.region_code)
            .order_by(t.pcc_areas.c.name)
        )
        if region_code is not None:
            stmt = stmt.where(t.pcc_areas.c.region_code == region_code)
        return await self._rows(stmt)

    async def contract_types(self) -> list[dict[str, Any]]:
        types = await self._rows(select(t.contract_types).order_by(t.contract_types.c.code))
        links = await self._rows(select(t.contract_type_categories).order_by(t.contract_type_categories.c.position))
        for ct in types:
            ct["service_categories"] = [k["category_code"] for k in links if k["contract_type_code"] == ct["code"]]
        return types

    async def service_categories(self) -> list[dict[str, Any]]:
        cats = await self._rows(select(t.service_categories).order_by(t.service_categories.c.name))
        levels = await self._rows(select(t.complexity_levels))
        outcomes = await self._rows(select(t.desired_outcomes).order_by(t.desired_outcomes.c.position))
        links = await self._rows(select(t.contract_type_categories))
        order = {"LOW": 0, "MEDIUM": 1, "HIGH": 2}
        for cat in cats:
            code = cat["code"]
            cat["contract_types"] = sorted(k["contract_type_code"] for k in links if k["category_code"] == code)
            cat["complexity_levels"] = sorted(
                ({"level": lv["level"], "description": lv["description"]} for lv in levels if lv["category_code"] == code),
                key=lambda lv: order[lv["level"]],
            )
            cat["desired_outcomes"] = [
                {"code": o["code"], "description": o["description"]} for o in outcomes if o["category_code"] == code
            ]
        return cats

    async def withdrawal_reasons(self) -> list[dict[str, Any]]:
        return await self._rows(select(t.withdrawal_reasons).order_by(t.withdrawal_reasons.c.position))

    async def decline_reasons(self) -> list[dict[str, Any]]:
        return await self._rows(select(t.decline_reasons).order_by(t.decline_reasons.c.position))
