"""Contracts, their years' terms, parties and variations. Never commits."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.adapters import tables as t
from contracts.adapters.mapping import contract_from_rows, contract_values, terms_to_json, year_values
from contracts.domain.contract import Areas, Contract, ContractYear, Variation


class ContractRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def areas(self) -> Areas:
        regions = (await self.session.execute(select(t.regions.c.code))).scalars().all()
        pccs = (await self.session.execute(select(t.pcc_areas.c.code, t.pcc_areas.c.region_code))).all()
        return Areas(regions=frozenset(regions), pcc_areas={p.code: p.region_code for p in pccs})

    async def reference_taken(self, reference: str) -> bool:
        found = await self.session.execute(select(t.contracts.c.id).where(t.contracts.c.reference == reference))
        return found.first() is not None

    async def get(self, contract_id: uuid.UUID | str, *, for_update: bool = False) -> Contract | None:
        query = select(t.contracts).where(t.contracts.c.id == str(contract_id))
        if for_update:
            query = query.with_for_update()
        row = (await self.session.execute(query)).first()
        if row is None:
            return None
        years = (await self.session.execute(
            select(t.contract_years).where(t.contract_years.c.contract_id == row.id))).all()
        parties = (await self.session.execute(
            select(t.contract_parties).where(t.contract_parties.c.contract_id == row.id))).all()
        return contract_from_rows(row, list(years), list(parties))

    async def id_for_reference(self, reference: str) -> str | None:
        found = await self.session.execute(select(t.contracts.c.id).where(t.contracts.c.reference == reference))
        return found.scalar_one_or_none()

    async def add(self, contract: Contract, *, by: str, at: datetime) -> None:
        await self.session.execute(insert(t.contracts).values(**contract_values(contract), awarded_at=at, awarded_by=by))
        await self.session.execute(insert(t.contract_years), [_new_year(contract, y, at) for y in contract.years])
        await self._write_parties(contract)

    async def save(self, contract: Contract, *, at: datetime) -> None:
        """Write varied terms; the counters of existing years are kept as they are."""
        values = contract_values(contract)
        values.pop("id")
        await self.session.execute(update(t.contracts).where(t.contracts.c.id == str(contract.id)).values(**values))
        existing = set((await self.session.execute(
            select(t.contract_years.c.year_number).where(t.contract_years.c.contract_id == str(contract.id))
        )).scalars())
        for year in contract.years:
            values = year_values(contract.id, year)
            if year.number in existing:
                await self.session.execute(update(t.contract_years).where(
                    t.contract_years.c.contract_id == str(contract.id),
                    t.contract_years.c.year_number == year.number,
                ).values(**values, updated_at=at))
            else:
                await self.session.execute(insert(t.contract_years).values(**_new_year(contract, year, at)))
        await self.session.execute(delete(t.contract_parties).where(t.contract_parties.c.contract_id == str(contract.id)))
        await self._write_parties(contract)

    async def year_has_activity(self, contract_id: uuid.UUID, year_number: int) -> bool:
        row = (await self.session.execute(select(t.contract_years.c.volume, t.contract_years.c.waitlisted).where(
            t.contract_years.c.contract_id == str(contract_id), t.contract_years.c.year_number == year_number))).first()
        return row is not None and (row.volume > 0 or row.waitlisted > 0)

    async def remove_year(self, contract_id: uuid.UUID, year_number: int) -> None:
        await self.session.execute(delete(t.contract_years).where(
            t.contract_years.c.contract_id == str(contract_id), t.contract_years.c.year_number == year_number))

    async def _write_parties(self, contract: Contract) -> None:
        rows = [{"contract_id": str(contract.id), "provider_id": str(contract.prime_provider_id), "role": "prime",
                 "position": 0}]
        rows += [{"contract_id": str(contract.id), "provider_id": str(p), "role": "subcontractor", "position": i}
                 for i, p in enumerate(contract.subcontractor_provider_ids, start=1)]
        await self.session.execute(insert(t.contract_parties), rows)

    async def add_variation(self, variation: Variation, terms_before: dict[str, Any]) -> None:
        await self.session.execute(insert(t.contract_variations).values(
            id=str(variation.id), contract_id=str(variation.contract_id), kinds=list(variation.kinds),
            reason=variation.reason, varied_by=variation.varied_by, varied_at=variation.varied_at,
            changes=variation.changes, terms_before=terms_before,
        ))

    async def variations(self, contract_id: uuid.UUID) -> list[Any]:
        return list((await self.session.execute(
            select(t.contract_variations).where(t.contract_variations.c.contract_id == str(contract_id))
            .order_by(t.contract_variations.c.varied_at, t.contract_variations.c.id)
        )).all())

    async def is_party(self, contract_id: uuid.UUID | str, provider_id: str) -> bool:
        found = await self.session.execute(select(t.contract_parties.c.role).where(
            t.contract_parties.c.contract_id == str(contract_id), t.contract_parties.c.provider_id == provider_id))
        return found.first() is not None

    async def list_rows(self, *, region: str | None = None, contract_type: str | None = None,
                        supplier_status: str | None = None, provider_id: str | None = None,
                        limit: int = 100, offset: int = 0) -> tuple[list[Any], int]:
        """Contracts (one row each, no terms) matching the filters, ordered by reference."""
        c = t.contracts
        conditions = []
        if region:
            conditions.append(c.c.region_code == region)
        if contract_type:
            conditions.append(c.c.contract_type == contract_type)
        if supplier_status:
            conditions.append(c.c.supplier_status == supplier_status)
        if provider_id:
            parties = select(t.contract_parties.c.contract_id).where(t.contract_parties.c.provider_id == provider_id)
            conditions.append(c.c.id.in_(parties))
        total = (await self.session.execute(select(func.count()).select_from(c).where(*conditions))).scalar_one()
        rows = (await self.session.execute(
            select(c).where(*conditions).order_by(c.c.reference).limit(limit).offset(offset))).all()
        return list(rows), total


def _new_year(contract: Contract, year: ContractYear, at: datetime) -> dict[str, Any]:
    """A contract-year row with its terms and all counters at zero."""
    counters = dict.fromkeys(("volume", "waitlisted", "started", "completed", "withdrawn", "overrun",
                              "value_low", "value_medium", "value_high"), 0)
    return {**year_values(contract.id, year), **counters, "band": year.terms.band_for(0),
            "thresholds_reached": [], "updated_at": at}


def terms_snapshot(contract: Contract) -> dict[str, Any]:
    """The terms before a variation, kept with it so history is never overwritten."""
    return {
        "end_date": contract.end_date.isoformat(),
        "cap_policy": contract.cap_policy,
        "thresholds": list(contract.thresholds),
        "subcontractor_provider_ids": [str(p) for p in contract.subcontractor_provider_ids],
        "years": [
            {"number": y.number, "start_date": y.start.isoformat(), "end_date": y.end.isoformat(),
             "fixed_price": str(y.terms.fixed_price), "volume_estimate": y.terms.volume_estimate,
             "volume_cap": y.terms.volume_cap, **terms_to_json(y.terms)}
            for y in contract.years
        ],
    }


