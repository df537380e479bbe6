"""The providers service's unit of work: one transaction, its repositories, its outbox."""
from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from crs_shared.outbox import Outbox
from crs_shared.uow import UnitOfWork

from providers.adapters.intervention_repository import InterventionRepository
from providers.adapters.provider_repository import ProviderRepository
from providers.adapters.reference_repository import ReferenceRepository
from providers.domain.reference import ReferenceData


class ReferenceCache:
    """Reference data only changes by migration, so one load per process is enough."""

    def __init__(self) -> None:
        self._data: ReferenceData | None = None

    async def get(self, repository: ReferenceRepository) -> ReferenceData:
        if self._data is None:
            self._data = await repository.load()
        return self._data


class CatalogueUoW(UnitOfWork):
    providers: ProviderRepository
    interventions: InterventionRepository
    reference: ReferenceRepository

    def __init__(self, sessions: async_sessionmaker[AsyncSession], outbox: Outbox, producer: str,
                 cache: ReferenceCache | None = None) -> None:
        super().__init__(sessions, outbox, producer)
        self._cache = cache or ReferenceCache()

    def _attach(self) -> None:
        self.providers = ProviderRepository(self.session)
        self.interventions = InterventionRepository(self.session)
        self.reference = ReferenceRepository(self.session)

    async def reference_data(self) -> ReferenceData:
        return await self._cache.get(self.reference)
