"""An intervention version's definition as the JSON stored in `intervention_versions`."""
from __future__ import annotations

import json
import uuid
from datetime import date
from typing import Any

from providers.domain.intervention import CategoryOffer, Eligibility, InterventionDefinition


def definition_to_dict(d: InterventionDefinition) -> dict[str, Any]:
    e = d.eligibility
    return {
        "title": d.title,
        "description": d.description,
        "contract_type": d.contract_type,
        "service_categories": [
            {"code": c.code, "complexity_levels": list(c.complexity_levels),
             "desired_outcome_codes": list(c.desired_outcome_codes)}
            for c in d.service_categories
        ],
        "area_kind": d.area_kind,
        "area_code": d.area_code,
        "eligibility": {"minimum_age": e.minimum_age, "maximum_age": e.maximum_age,
                        "allows_male": e.allows_male, "allows_female": e.allows_female},
        "prime_provider_id": str(d.prime_provider_id),
        "subcontractor_provider_ids": [str(s) for s in d.subcontractor_provider_ids],
        "contract_reference": d.contract_reference,
        "open_from": d.open_from.isoformat(),
        "open_to": d.open_to.isoformat() if d.open_to else None,
    }


def definition_from_dict(raw: dict[str, Any]) -> InterventionDefinition:
    return InterventionDefinition(
        title=raw["title"],
        description=raw["description"],
        contract_type=raw["contract_type"],
        service_categories=tuple(
            CategoryOffer(c["code"], tuple(c["complexity_levels"]), tuple(c["desired_outcome_codes"]))
            for c in raw["service_categories"]
        ),
        area_kind=raw["area_kind"],
        area_code=raw["area_code"],
        eligibility=Eligibility(**raw["eligibility"]),
        prime_provider_id=uuid.UUID(raw["prime_provider_id"]),
        subcontractor_provider_ids=tuple(uuid.UUID(s) for s in raw["subcontractor_provider_ids"]),
        contract_reference=raw["contract_reference"],
        open_from=date.fromisoformat(raw["open_from"]),
        open_to=date.fromisoformat(raw["open_to"]) if raw["open_to"] else None,
    )


def dumps(d: InterventionDefinition) -> str:
    return json.dumps(definition_to_dict(d), sort_keys=True)


def loads(text: str) -> InterventionDefinition:
    return definition_from_dict(json.loads(text))
