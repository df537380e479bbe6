"""The referrals unit of work and what every handler needs (clock, calendar)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from crs_shared.uow import UnitOfWork
from referrals.adapters.catalogue_repository import CatalogueRepository
from referrals.adapters.idempotency import IdempotencyKeys
from referrals.adapters.referral_queries import ReferralQueries
from referrals.adapters.referral_repository import ReferralRepository
from referrals.domain.calendar import WorkingCalendar
from referrals.domain.referral import Referral
from referrals.service.clock import Clock
from referrals.service.publishing import event_for


class ReferralsUoW(UnitOfWork):
    referrals: ReferralRepository
    catalogue: CatalogueRepository
    keys: IdempotencyKeys
    queries: ReferralQueries

    def _attach(self) -> None:
        self.referrals = ReferralRepository(self.session)
        self.catalogue = CatalogueRepository(self.session)
        self.keys = IdempotencyKeys(self.session)
        self.queries = ReferralQueries(self.session)

    def collect(self, referral: Referral) -> None:
        """Queue the aggregate's recorded events for the outbox."""
        for domain_event in referral.events:
            self.emit(event_for(referral, domain_event), referral_id=referral.id)
        referral.events = []

    async def save(self, referral: Referral, *, new: bool = False) -> None:
        if new:
            await self.referrals.add(referral)
        else:
            await self.referrals.save(referral)
        self.collect(referral)


@dataclass
class Context:
    """What handlers share: a unit-of-work factory, the clock and the working calendar."""

    uow: Callable[[], ReferralsUoW]
    joined: Callable[[AsyncSession], ReferralsUoW]  # inside a consumer's transaction
    clock: Clock = field(default_factory=Clock)
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)
