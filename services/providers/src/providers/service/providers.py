"""Use cases for providers and their caseworkers. Each owns its transaction."""
from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy.exc import IntegrityError

from crs_shared.errors import FieldError, FieldErrors, NotFound, ValidationFailed

from providers.adapters.provider_repository import NUMBER_FIELDS, number_taken
from providers.domain.provider import Caseworker, Provider, ProviderDetails
from providers.service.events import emit_provider_events
from providers.service.uow import CatalogueUoW


async def _provider(uow: CatalogueUoW, provider_id: uuid.UUID, *, for_update: bool = False) -> Provider:
    provider = await uow.providers.get(provider_id, for_update=for_update)
    if provider is None:
        raise NotFound(f"no provider {provider_id}")
    return provider


ALREADY_REGISTERED = "already_registered"


def already_registered(field_name: str, holder: str) -> FieldError:
    return FieldError(field_name, ALREADY_REGISTERED, f"this {field_name.replace('_', ' ')} is registered to {holder}")


async def check_numbers_free(uow: CatalogueUoW, details: ProviderDetails, provider_id: uuid.UUID) -> None:
    """A charity number or company number may belong to one provider only."""
    errors = FieldErrors()
    for name in NUMBER_FIELDS:
        number = getattr(details, name)
        holder = (await uow.providers.number_holders(name, [number])).get(number) if number else None
        if holder is not None and holder != provider_id:
            errors.errors.append(already_registered(name, f"provider {holder}"))
    errors.raise_if_any()


@asynccontextmanager
async def numbers_stay_unique() -> AsyncIterator[None]:
    """A concurrent write that took the same number meanwhile: refused by the unique index, reported as a 422."""
    try:
        yield
    except IntegrityError as exc:
        name = number_taken(exc)
        if name is None:
            raise
        raise ValidationFailed([already_registered(name, "another provider")]) from exc


async def register_provider(uow: CatalogueUoW, details: ProviderDetails,
                            caseworkers: Sequence[tuple[str, str]] = ()) -> Provider:
    """Register a provider (and its first caseworkers)."""
    async with uow:
        provider = Provider.register(details)
        for name, email in caseworkers:
            provider.add_caseworker(name, email)
        await check_numbers_free(uow, provider.details, provider.id)
        async with numbers_stay_unique():
            await uow.providers.add(provider)
            emit_provider_events(uow, provider)
            await uow.commit()
    return provider


async def update_provider(uow: CatalogueUoW, provider_id: uuid.UUID, changes: dict[str, Any],
                          status: str | None) -> Provider:
    """Change a provider's details and/or status."""
    async with uow:
        provider = await _provider(uow, provider_id, for_update=True)
        if provider.update(status, **changes):
            await check_numbers_free(uow, provider.details, provider.id)
            async with numbers_stay_unique():
                await uow.providers.save(provider)
                emit_provider_events(uow, provider)
                await uow.commit()
    return provider


async def add_caseworker(uow: CatalogueUoW, provider_id: uuid.UUID, name: str, email: str) -> Caseworker:
    """Add a caseworker to a provider."""
    async with uow:
        provider = await _provider(uow, provider_id, for_update=True)
        caseworker = provider.add_caseworker(name, email)
        await uow.providers.save(provider)
        emit_provider_events(uow, provider)
        await uow.commit()
    return caseworker


async def update_caseworker(uow: CatalogueUoW, provider_id: uuid.UUID, caseworker_id: uuid.UUID,
                            **changes: Any) -> Caseworker:
    """Rename, re-address or (de)activate a caseworker."""
    async with uow:
        provider = await _provider(uow, provider_id, for_update=True)
        caseworker = provider.update_caseworker(caseworker_id, **changes)
        if caseworker is None:
            raise NotFound(f"no caseworker {caseworker_id} at provider {provider_id}")
        if provider.events:
            await uow.providers.save(provider)
            emit_provider_events(uow, provider)
            await uow.commit()
    return caseworker


async def get_provider(uow: CatalogueUoW, provider_id: uuid.UUID) -> Provider:
    """One provider with its caseworkers."""
    async with uow:
        return await _provider(uow, provider_id)


async def list_providers(uow: CatalogueUoW, after: tuple[str, uuid.UUID] | None, limit: int) -> list[Provider]:
    """A page of providers sorted by name (limit + 1 rows, to tell whether more follow)."""
    async with uow:
        return await uow.providers.page(after, limit + 1)
