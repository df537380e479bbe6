"""Use cases for interventions: publish, revise (a new version), close, read and search."""
from __future__ import annotations

import uuid
from collections.abc import Collection
from typing import Any

from sqlalchemy.exc import IntegrityError

from crs_shared.db import utcnow
from crs_shared.errors import FieldError, FieldErrors, NotFound, ValidationFailed

from providers.domain.intervention import Intervention, InterventionDefinition, InterventionVersion, check_definition
from providers.domain.reference import ReferenceData
from providers.domain.search import SearchQuery
from providers.service.events import emit_intervention_events
from providers.service.uow import CatalogueUoW

DUPLICATE_REFERENCE = "duplicate_contract_reference"


async def check(uow: CatalogueUoW, d: InterventionDefinition, errors: FieldErrors, *, prefix: str = "",
                excluding: uuid.UUID | None = None, new_providers: Collection[uuid.UUID] = ()) -> None:
    """Every rule a definition must meet, including the database's (live reference unique, providers)."""
    ref = await uow.reference_data()
    statuses = await uow.providers.statuses([d.prime_provider_id, *d.subcontractor_provider_ids])
    statuses.update({provider_id: "active" for provider_id in new_providers})  # registered in this same import
    check_definition(d, ref, statuses, errors, prefix)
    if await uow.interventions.live_reference_taken(d.contract_reference, excluding):
        errors.add(prefix + "contract_reference", DUPLICATE_REFERENCE,
                   "a live intervention is already delivered under this contract reference")


async def store(uow: CatalogueUoW, intervention: Intervention, *, new: bool) -> None:
    ref = await uow.reference_data()
    d = intervention.definition
    covered, region = ref.covered_pcc_areas(d.area_kind, d.area_code), ref.region_of(d.area_kind, d.area_code)
    if new:
        await uow.interventions.add(intervention, covered, region)
    else:
        await uow.interventions.save(intervention, covered, region)
    emit_intervention_events(uow, intervention, ref)


async def _commit(uow: CatalogueUoW) -> None:
    try:
        await uow.commit()
    except IntegrityError as exc:  # lost a race for the same live contract reference
        raise ValidationFailed([FieldError("contract_reference", DUPLICATE_REFERENCE)]) from exc


async def publish_intervention(uow: CatalogueUoW, definition: InterventionDefinition) -> Intervention:
    """Publish a new intervention as version 1."""
    async with uow:
        errors = FieldErrors()
        await check(uow, definition, errors)
        errors.raise_if_any()
        intervention = Intervention.publish(definition, utcnow())
        await store(uow, intervention, new=True)
        await _commit(uow)
    return intervention


async def revise_intervention(uow: CatalogueUoW, intervention_id: uuid.UUID, changes: dict[str, Any]
                              ) -> Intervention:
    """Change an intervention: a new immutable version (nothing happens if nothing changes)."""
    async with uow:
        intervention = await _get(uow, intervention_id, for_update=True)
        now = utcnow()
        definition = intervention.revise(changes, now)
        if definition is None:
            return intervention
        errors = FieldErrors()
        await check(uow, definition, errors, excluding=intervention.id)
        errors.raise_if_any()
        intervention.adopt(definition, now)
        await store(uow, intervention, new=False)
        await _commit(uow)
    return intervention


async def close_intervention(uow: CatalogueUoW, intervention_id: uuid.UUID) -> Intervention:
    """Close an intervention to new referrals."""
    async with uow:
        intervention = await _get(uow, intervention_id, for_update=True)
        intervention.close(utcnow())
        await store(uow, intervention, new=False)
        await uow.commit()
    return intervention


async def _get(uow: CatalogueUoW, intervention_id: uuid.UUID, *, for_update: bool = False) -> Intervention:
    intervention = await uow.interventions.get(intervention_id, for_update=for_update)
    if intervention is None:
        raise NotFound(f"no intervention {intervention_id}")
    return intervention


async def get_intervention(uow: CatalogueUoW, intervention_id: uuid.UUID) -> tuple[Intervention, ReferenceData]:
    """An intervention's current version (and the reference data to describe its area)."""
    async with uow:
        return await _get(uow, intervention_id), await uow.reference_data()


async def get_version(uow: CatalogueUoW, intervention_id: uuid.UUID, number: int) -> InterventionVersion:
    """One published version of an intervention, as referrals made against it saw it."""
    async with uow:
        version = await uow.interventions.get_version(intervention_id, number)
        if version is None:
            raise NotFound(f"intervention {intervention_id} has no version {number}")
        return version


async def search_interventions(uow: CatalogueUoW, query: SearchQuery
                              ) -> tuple[list[Intervention], bool, ReferenceData]:
    """A page of interventions matching the query, whether another page follows, and the reference data."""
    async with uow:
        ref = await uow.reference_data()
        query.check(ref)
        rows = await uow.interventions.search(query)
    return rows[: query.limit], len(rows) > query.limit, ref
