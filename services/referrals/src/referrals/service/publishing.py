"""Turns what the aggregate recorded into the published event contracts."""
from __future__ import annotations

from crs_shared.events import referrals as contracts
from crs_shared.events.envelope import EventData, registry
from referrals.domain.events import DomainEvent
from referrals.domain.referral import Referral


def event_for(referral: Referral, domain_event: DomainEvent) -> EventData:
    cls = registry.get(domain_event.name, 1)
    assert issubclass(cls, contracts.ReferralEvent), domain_event.name
    data = {k: v for k, v in domain_event.data.items() if k in cls.model_fields}
    return cls(referral_id=referral.id, reference=referral.reference, **data)
