"""Events of the provider catalogue (producer: providers service)."""
from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

from crs_shared.events import topics
from crs_shared.events.envelope import EventData, event

OrganisationType = Literal["VCSE", "SME", "LARGE_PRIVATE", "PUBLIC_BODY"]
ProviderStatus = Literal["active", "suspended", "offboarded"]
Complexity = Literal["LOW", "MEDIUM", "HIGH"]


class _Catalogue(EventData):
    topic = topics.CATALOGUE


class ProviderSnapshot(_Catalogue):
    provider_id: uuid.UUID
    name: str
    organisation_type: OrganisationType
    status: ProviderStatus
    referral_mailbox: str
    charity_number: str | None = None
    company_number: str | None = None


@event
class ProviderRegistered(ProviderSnapshot):
    event_type = "provider.registered"
    summary = "A provider organisation joined the catalogue."


@event
class ProviderUpdated(ProviderSnapshot):
    event_type = "provider.updated"
    summary = "A provider's details or status changed (the full new state)."


class CaseworkerSnapshot(_Catalogue):
    caseworker_id: uuid.UUID
    provider_id: uuid.UUID
    # A caseworker's work email is needed to notify them; it is staff contact data, not
    # data about a person on probation.
    email: str
    name: str
    active: bool = True


@event
class CaseworkerAdded(CaseworkerSnapshot):
    event_type = "provider.caseworker_added"
    summary = "A provider added a caseworker who can be assigned referrals."


@event
class CaseworkerUpdated(CaseworkerSnapshot):
    event_type = "provider.caseworker_updated"
    summary = "A caseworker's details changed or they were deactivated."


class CategoryOffer(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    complexity_levels: list[Complexity]
    desired_outcome_codes: list[str]


class Eligibility(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    minimum_age: int
    maximum_age: int | None = None
    allows_male: bool
    allows_female: bool


class InterventionSnapshot(_Catalogue):
    """What other services need for intake checks; no personal data."""

    intervention_id: uuid.UUID
    version: int  # the intervention's own version number, not the contract's
    title: str
    contract_type: str
    service_categories: list[CategoryOffer]
    area_kind: Literal["region", "pcc_area"]
    area_code: str
    region_code: str
    covered_pcc_areas: list[str]
    eligibility: Eligibility
    prime_provider_id: uuid.UUID
    subcontractor_provider_ids: list[uuid.UUID]
    contract_reference: str
    open_from: date
    open_to: date | None = None


@event
class InterventionPublished(InterventionSnapshot):
    event_type = "intervention.published"
    summary = "A new intervention (or a new version of one) is open for referrals."


@event
class InterventionUpdated(InterventionSnapshot):
    event_type = "intervention.updated"
    summary = "A published intervention has a new version."


@event
class InterventionClosed(InterventionSnapshot):
    event_type = "intervention.closed"
    summary = "An intervention no longer takes referrals."
