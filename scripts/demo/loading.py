"""Loading the market into the platform: providers, then contracts, then one intervention per contract.

Safe to re-run: what exists already is found and reused.
"""
from __future__ import annotations

import random

from contracts.demo import TITLES

from .client import Clients, Tokens, expect, pages
from .market import provider_body, provider_names
from .summary import Summary


def _provider_ids(contract: dict, providers: dict[str, dict]) -> dict:
    """The prime's and subcontractors' ids, as contracts and interventions both name them."""
    return {"prime_provider_id": providers[contract["prime_provider_name"]]["id"],
            "subcontractor_provider_ids": [providers[n]["id"] for n in contract["subcontractors"]]}


async def register_providers(c: Clients, tokens: Tokens, contracts: list[dict], s: Summary) -> dict[str, dict]:
    """Every prime and subcontractor, by name: {name: {"id", "caseworkers": [ids]}}; existing ones reused."""
    admin = tokens.admin()
    existing = {p["name"]: p["id"] for p in await pages(c.providers, "/v1/providers", admin, limit=200)}
    out: dict[str, dict] = {}
    for n, name in enumerate(provider_names(contracts)):
        if name in existing:
            provider = expect(await c.providers.get(f"/v1/providers/{existing[name]}", headers=admin))
            s.counts["providers existing"] += 1
        else:
            provider = expect(await c.providers.post("/v1/providers", headers=admin, json=provider_body(name, n)), 201,
                              doing=f"registering provider {name!r}")
            s.counts["providers registered"] += 1
        out[name] = {"id": provider["id"], "caseworkers": [w["id"] for w in provider["caseworkers"] if w["active"]]}
    return out


async def award_contracts(c: Clients, tokens: Tokens, contracts: list[dict], providers: dict, s: Summary) -> None:
    admin = tokens.admin()
    for contract in contracts:
        body = {k: v for k, v in contract.items() if k != "subcontractors"} | _provider_ids(contract, providers)
        r = await c.contracts.post("/v1/contracts", headers=admin, json=body)
        expect(r, 201, 409, doing=f"awarding contract {contract['reference']}")
        s.counts["contracts awarded" if r.status_code == 201 else "contracts existing"] += 1


async def publish_interventions(c: Clients, tokens: Tokens, contracts: list[dict], providers: dict,
                                rng: random.Random, s: Summary) -> dict[str, dict]:
    """One intervention per contract, with its reference; {contract reference: intervention}."""
    admin = tokens.admin()
    types = {t["code"]: t["service_categories"]
             for t in expect(await c.providers.get("/v1/contract-types", headers=admin))}
    outcomes = {sc["code"]: [o["code"] for o in sc["desired_outcomes"]]
                for sc in expect(await c.providers.get("/v1/service-categories", headers=admin))}
    known = {i["contract_reference"]: i
             for i in await pages(c.providers, "/v1/interventions", admin, include_closed="true", limit=100)}
    out = {}
    for contract in contracts:
        ref = contract["reference"]
        if ref in known:
            out[ref] = known[ref]
            s.counts["interventions existing"] += 1
            continue
        women = contract["contract_type"] == "WOS"
        categories = [{"code": code, "complexity_levels": ["LOW", "MEDIUM", "HIGH"] if rng.random() < 0.7
                       else ["MEDIUM", "HIGH"], "desired_outcome_codes": outcomes[code][:rng.randint(2, 4)]}
                      for code in types[contract["contract_type"]]]
        body = {
            "title": contract["title"], "contract_type": contract["contract_type"],
            "description": f"{TITLES[contract['contract_type']]} support by {contract['prime_provider_name']}.",
            "service_categories": categories, "area_kind": contract["area_kind"], "area_code": contract["area_code"],
            "eligibility": {"minimum_age": 18, "maximum_age": None if rng.random() < 0.8 else 65,
                            "allows_male": not women, "allows_female": True},
            **_provider_ids(contract, providers),
            "contract_reference": ref, "open_from": contract["start_date"], "open_to": contract["end_date"],
        }
        out[ref] = expect(await c.providers.post("/v1/interventions", headers=admin, json=body), 201,
                          doing=f"publishing the intervention of contract {ref}")
        s.counts["interventions published"] += 1
    return out
