"""Turn what the aggregates recorded into the catalogue's public event contracts."""
from __future__ import annotations

from crs_shared.events import catalogue as ev

from providers.domain.intervention import Intervention
from providers.domain.provider import Provider
from providers.domain.reference import ReferenceData
from providers.service.uow import CatalogueUoW

_PROVIDER = {"provider.registered": ev.ProviderRegistered, "provider.updated": ev.ProviderUpdated}
_CASEWORKER = {"provider.caseworker_added": ev.CaseworkerAdded, "provider.caseworker_updated": ev.CaseworkerUpdated}
_INTERVENTION = {"intervention.published": ev.InterventionPublished, "intervention.updated": ev.InterventionUpdated,
                 "intervention.closed": ev.InterventionClosed}


def emit_provider_events(uow: CatalogueUoW, provider: Provider) -> None:
    d = provider.details
    for name in provider.events:
        kind, _, caseworker_id = name.partition(":")
        if kind in _PROVIDER:
            uow.emit(_PROVIDER[kind](
                provider_id=provider.id, name=d.name, organisation_type=d.organisation_type, status=provider.status,
                referral_mailbox=d.referral_mailbox, charity_number=d.charity_number, company_number=d.company_number,
            ), provider_id=provider.id)
        else:
            c = next(c for c in provider.caseworkers if str(c.id) == caseworker_id)
            uow.emit(_CASEWORKER[kind](caseworker_id=c.id, provider_id=provider.id, email=c.email, name=c.name,
                                       active=c.active), provider_id=provider.id, caseworker_id=c.id)
    provider.events.clear()


def intervention_snapshot(cls: type[ev.InterventionSnapshot], i: Intervention, ref: ReferenceData
                          ) -> ev.InterventionSnapshot:
    d, e = i.definition, i.definition.eligibility
    return cls(
        intervention_id=i.id,
        version=i.version,
        title=d.title,
        contract_type=d.contract_type,
        service_categories=[
            ev.CategoryOffer(code=c.code, complexity_levels=list(c.complexity_levels),
                             desired_outcome_codes=list(c.desired_outcome_codes))
            for c in d.service_categories
        ],
        area_kind=d.area_kind,  # type: ignore[arg-type]
        area_code=d.area_code,
        region_code=ref.region_of(d.area_kind, d.area_code),
        covered_pcc_areas=ref.covered_pcc_areas(d.area_kind, d.area_code),
        eligibility=ev.Eligibility(minimum_age=e.minimum_age, maximum_age=e.maximum_age,
                                   allows_male=e.allows_male, allows_female=e.allows_female),
        prime_provider_id=d.prime_provider_id,
        subcontractor_provider_ids=list(d.subcontractor_provider_ids),
        contract_reference=d.contract_reference,
        open_from=d.open_from,
        open_to=d.open_to,
    )


def emit_intervention_events(uow: CatalogueUoW, intervention: Intervention, ref: ReferenceData) -> None:
    for name in intervention.events:
        uow.emit(intervention_snapshot(_INTERVENTION[name], intervention, ref), intervention_id=intervention.id)
    intervention.events.clear()
