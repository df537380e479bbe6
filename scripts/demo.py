"""`make demo`: a realistic Day-1 market and a flow of referrals, through the public APIs only.

    python scripts/demo.py [--contracts 110] [--referrals 600] [--seed 2021] [--secret S]

Against a running platform (`make run`): registers the providers (primes and
subcontractors) in the providers service, awards about 110 contracts in the contracts
service with the ids it returned, publishes one intervention per contract, then submits
referrals as practitioners (80% aimed at a few small hard-capped contracts, so some reach
thresholds and caps and wait) and moves a share of them through the partner API.
Deterministic (seeded) and safe to re-run: what exists already is found and reused.
"""
from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx

from crs_shared.auth import issue_token
from crs_shared.settings import DEV_SECRET
from contracts.demo import PCC_AREAS, PRIMES, REGIONS, STATUS_WEIGHTS, TITLES  # the market's vocabulary

URLS = {"referrals": "http://127.0.0.1:8001", "providers": "http://127.0.0.1:8002",
        "contracts": "http://127.0.0.1:8003", "notifications": "http://127.0.0.1:8004"}
CASEWORKERS = ("Sam Okafor", "Priya Shah", "Jo Williams")
FIRST_NAMES = ("Alex", "Jordan", "Sam", "Chris", "Jamie", "Taylor", "Morgan", "Casey", "Robin", "Lee")
LAST_NAMES = ("Smith", "Jones", "Taylor", "Brown", "Evans", "Khan", "Murphy", "Patel", "Walker", "Hughes")
# How far each referral that was sent is taken by its provider (weights), and the steps to get there.
PLAN = {"sent": 30, "accepted": 10, "assigned": 10, "assessment_booked": 10, "assessment_attended": 8,
        "in_delivery": 10, "completed": 12, "withdrawn_early": 6, "withdrawn_late": 4}
STEPS = ("accepted", "assigned", "assessment_booked", "assessment_attended", "action_plan_submitted",
         "in_delivery", "completed")


class DemoError(RuntimeError):
    pass


@dataclass
class Clients:
    """One HTTP client per service (real URLs, or in-process clients in tests)."""

    referrals: httpx.AsyncClient
    providers: httpx.AsyncClient
    contracts: httpx.AsyncClient


@dataclass
class Tokens:
    secret: str

    def headers(self, role: str, **claims: Any) -> dict[str, str]:
        return {"Authorization": "Bearer " + issue_token(self.secret, role=role, **claims)}  # type: ignore[arg-type]

    def admin(self) -> dict[str, str]:
        return self.headers("admin", subject="demo-admin")

    def commercial(self) -> dict[str, str]:
        return self.headers("commercial", subject="demo-commercial", ttl_s=7 * 24 * 3600)

    def practitioner(self, region: str) -> dict[str, str]:
        return self.headers("practitioner", subject=f"demo-pp-{region}", region_code=region, team_code=f"{region}T1",
                            email=f"practitioner.{region.lower()}@probation.example")

    def provider(self, provider_id: str) -> dict[str, str]:
        return self.headers("provider", subject=f"demo-partner-{provider_id[:8]}", organisation_id=provider_id)


@dataclass
class Summary:
    counts: Counter = field(default_factory=Counter)
    started: float = field(default_factory=time.monotonic)
    value_share: dict[str, float] = field(default_factory=dict)


def _ok(r: httpx.Response, *allowed: int) -> Any:
    if r.status_code not in (allowed or (200, 201)):
        raise DemoError(f"{r.request.method} {r.request.url.path}: {r.status_code} {r.text[:500]}")
    return r.json() if r.content else None


# ---- the market ----------------------------------------------------------------------------------

def _lots() -> list[tuple[str, str, str, str]]:
    """(contract type, area kind, area code, region) of the 110 Day-1 contracts."""
    lots = [("ACC", "pcc_area", code, region) for code, region in PCC_AREAS.items()]
    lots += [(kind, "region", code, code) for code in REGIONS for kind in ("ETE", "PWB", "WOS")]
    lots += [("WOS", "pcc_area", code, region) for code, region in list(PCC_AREAS.items())[:32]]
    return lots


def _year(rng: random.Random, price: Decimal, banded: bool, scale: float) -> dict:
    divisor = Decimal(rng.choice([900, 1100, 1300]))
    estimate = max(int(price / divisor * Decimal(str(scale))), 10 if banded else 3)  # four bands need room
    cap = int(estimate * 1.3) + 1
    year = {"fixed_price": str(price), "volume_estimate": estimate, "volume_cap": cap, "bands": [],
            "unit_costs": {"LOW": str(rng.randint(250, 450)), "MEDIUM": str(rng.randint(500, 800)),
                           "HIGH": str(rng.randint(900, 1400))}}
    if banded:
        edges = [int(estimate * f) for f in (0.5, 0.8, 1.0, 1.2)] + [cap + 1]
        shares = ("0.80", "0.90", "1.00", "1.10")
        year["bands"] = [{"low": edges[i], "high": edges[i + 1] - 1,
                          "value": str((price * Decimal(shares[i])).quantize(Decimal("1")))} for i in range(4)]
    return year


def market(count: int, seed: int, start: date, scale: float) -> list[dict]:
    """`count` contracts (all types mixed, stable references), with provider names, not ids."""
    rng = random.Random(seed)
    end = date(start.year + 3, start.month, min(start.day, 28)) - timedelta(days=1)
    contracts = []
    for n, (kind, area_kind, area_code, region) in enumerate(_lots(), start=1):
        status = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
        prime = rng.choice(PRIMES[status])
        pool = [p for names in PRIMES.values() for p in names if p != prime]
        subs = rng.sample(pool, rng.choice([0, 0, 1, 2, 3, 5, 9]))
        price = Decimal(rng.randint(600, 1500) * 1000 if area_kind == "region" else rng.randint(80, 450) * 1000)
        place = REGIONS[region] if area_kind == "region" else area_code.replace("-", " ").title()
        contracts.append({
            "reference": f"CRS{n:03d}{kind}", "title": f"{TITLES[kind]}, {place}", "commissioner_region": region,
            "co_commissioner": f"{place} PCC" if area_kind == "pcc_area" and rng.random() < 0.3 else None,
            "contract_type": kind, "prime_provider_name": prime, "subcontractors": subs, "supplier_status": status,
            "area_kind": area_kind, "area_code": area_code, "start_date": start.isoformat(),
            "end_date": end.isoformat(), "cap_policy": "hard" if rng.random() < 0.8 else "soft",
            "years": [_year(rng, (price * Decimal(f)).quantize(Decimal("1")), price >= 300000, scale)
                      for f in ("1", "1.02", "1.04")],
        })
    picked = sorted(random.Random(seed + 1).sample(range(len(contracts)), min(count, len(contracts))))
    return [contracts[i] for i in picked]


def value_share(contracts: list[dict]) -> dict[str, float]:
    totals: Counter = Counter()
    for c in contracts:
        totals[c["supplier_status"]] += float(sum(Decimal(y["fixed_price"]) for y in c["years"]))
    grand = sum(totals.values()) or 1.0
    return {k: round(v / grand, 3) for k, v in sorted(totals.items())}


def _slug(name: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in name.lower()).strip("-").replace("--", "-")


def provider_body(name: str, status: str, n: int) -> dict:
    domain = f"{_slug(name)}.example.org"
    body = {"name": name, "organisation_type": status, "referral_mailbox": f"referrals@{domain}",
            "caseworkers": [{"name": c, "email": f"{_slug(c)}@{domain}"} for c in CASEWORKERS]}
    if status == "VCSE":
        body["charity_number"] = str(1100000 + n * 137)
    else:
        body["company_number"] = f"{8000000 + n * 4111:08d}"
    return body


# ---- loading: providers, contracts, interventions -----------------------------------------------

async def _pages(client: httpx.AsyncClient, path: str, headers: dict, **params: Any) -> list[dict]:
    items, cursor = [], None
    while True:
        page = _ok(await client.get(path, headers=headers, params={**params, **({"cursor": cursor} if cursor else {})}))
        items += page["items"]
        cursor = page.get("next_cursor")
        if not cursor:
            return items


async def register_providers(c: Clients, tokens: Tokens, contracts: list[dict], s: Summary) -> dict[str, dict]:
    """Every prime and subcontractor, by name: {name: {"id", "caseworkers": [ids]}}; existing ones reused."""
    admin = tokens.admin()
    statuses = {name: status for status, names in PRIMES.items() for name in names}
    wanted = sorted({n for c_ in contracts for n in (c_["prime_provider_name"], *c_["subcontractors"])})
    existing = {p["name"]: p["id"] for p in await _pages(c.providers, "/v1/providers", admin, limit=200)}
    out: dict[str, dict] = {}
    for n, name in enumerate(wanted):
        if name in existing:
            provider = _ok(await c.providers.get(f"/v1/providers/{existing[name]}", headers=admin))
            s.counts["providers existing"] += 1
        else:
            provider = _ok(await c.providers.post("/v1/providers", headers=admin,
                                                  json=provider_body(name, statuses[name], n)), 201)
            s.counts["providers registered"] += 1
        out[name] = {"id": provider["id"], "caseworkers": [w["id"] for w in provider["caseworkers"] if w["active"]]}
    return out


async def award_contracts(c: Clients, tokens: Tokens, contracts: list[dict], providers: dict, s: Summary) -> None:
    admin = tokens.admin()
    for contract in contracts:
        body = {k: v for k, v in contract.items() if k != "subcontractors"}
        body["prime_provider_id"] = providers[contract["prime_provider_name"]]["id"]
        body["subcontractor_provider_ids"] = [providers[n]["id"] for n in contract["subcontractors"]]
        r = await c.contracts.post("/v1/contracts", headers=admin, json=body)
        _ok(r, 201, 409)
        s.counts["contracts awarded" if r.status_code == 201 else "contracts existing"] += 1


async def publish_interventions(c: Clients, tokens: Tokens, contracts: list[dict], providers: dict,
                                rng: random.Random, s: Summary) -> dict[str, dict]:
    """One intervention per contract, with its reference; {contract reference: intervention}."""
    admin = tokens.admin()
    types = {t["code"]: t["service_categories"]
             for t in _ok(await c.providers.get("/v1/contract-types", headers=admin))}
    outcomes = {sc["code"]: [o["code"] for o in sc["desired_outcomes"]]
                for sc in _ok(await c.providers.get("/v1/service-categories", headers=admin))}
    known = {i["contract_reference"]: i
             for i in await _pages(c.providers, "/v1/interventions", admin, include_closed="true", limit=100)}
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
            "prime_provider_id": providers[contract["prime_provider_name"]]["id"],
            "subcontractor_provider_ids": [providers[n]["id"] for n in contract["subcontractors"]],
            "contract_reference": ref, "open_from": contract["start_date"], "open_to": contract["end_date"],
        }
        out[ref] = _ok(await c.providers.post("/v1/interventions", headers=admin, json=body), 201)
        s.counts["interventions published"] += 1
    return out


# ---- referrals: submitted by practitioners, moved on by providers ---------------------------------

def hot_contracts(contracts: list[dict], how_many: int = 3) -> list[str]:
    """The smallest hard-capped contracts: 80% of referrals go there, so some reach their cap."""
    hard = [c for c in contracts if c["cap_policy"] == "hard"] or contracts
    return [c["reference"] for c in sorted(hard, key=lambda c: c["years"][0]["volume_cap"])[:how_many]]


def referral_body(intervention: dict, n: int, rng: random.Random, today: date) -> dict:
    offers = intervention["service_categories"]
    chosen = rng.sample(offers, min(len(offers), rng.choice([1, 1, 2])))
    outcomes = [o for offer in chosen for o in offer["desired_outcome_codes"][:2]]
    eligibility = intervention["eligibility"]
    sex = "female" if not eligibility["allows_male"] or rng.random() < 0.2 else "male"
    top = min(eligibility["maximum_age"] or 70, 70)
    born = today - timedelta(days=365 * rng.randint(19, top - 1) + rng.randint(0, 300))
    return {
        "intervention_id": intervention["id"],
        "person": {"crn": f"D{(n * 7919) % 1000000:06d}", "first_name": rng.choice(FIRST_NAMES),
                   "last_name": rng.choice(LAST_NAMES), "date_of_birth": born.isoformat(), "sex": sex,
                   "preferred_language": "English", "needs_interpreter": False},
        "pcc_area_code": rng.choice(intervention["covered_pcc_areas"]),
        "categories": [{"code": o["code"], "complexity": rng.choice(o["complexity_levels"])} for o in chosen],
        "desired_outcomes": outcomes,
        "reason_for_referral": "Referred as part of the sentence plan.",
        "risk_information": "No known risk to staff.",
        "completion_deadline": (today + timedelta(days=rng.randint(60, 180))).isoformat(),
        "location": {"kind": "community"},
        "practitioner_contact": {"name": "Demo Practitioner", "email": "practitioner@probation.example"},
    }


async def submit_referrals(c: Clients, tokens: Tokens, contracts: list[dict], interventions: dict[str, dict],
                           count: int, seed: int, s: Summary, timeout: float) -> list[dict]:
    """Submit `count` referrals; each waits (retrying) until the referrals service knows its intervention."""
    rng, today = random.Random(seed + 2), date.today()
    hot, every = hot_contracts(contracts), [c_["reference"] for c_ in contracts]
    plans = []
    for n in range(count):
        ref = rng.choice(hot) if rng.random() < 0.8 else rng.choice(every)
        intervention = interventions[ref]
        body = referral_body(intervention, n, rng, today)
        plans.append((n, intervention, body))
    gate, deadline = asyncio.Semaphore(16), time.monotonic() + timeout

    async def submit(n: int, intervention: dict, body: dict) -> dict | None:
        key = f"demo-{seed}-{n}-" + hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:16]
        headers = {**tokens.practitioner(intervention["region_code"]), "Idempotency-Key": key}
        async with gate:
            while True:
                r = await c.referrals.post("/v1/referrals/submit", headers=headers, json=body)
                if r.status_code == 422 and "unknown_intervention" in r.text and time.monotonic() < deadline:
                    await asyncio.sleep(0.25)  # the intervention has not reached the referrals service yet
                    continue
                referral = _ok(r, 201)
                replayed = r.headers.get("Idempotent-Replayed") == "true"
                s.counts["referrals already submitted" if replayed else "referrals submitted"] += 1
                return {"id": referral["id"], "region": intervention["region_code"], "contract": body,
                        "prime": intervention["prime_provider_id"], "outcomes": body["desired_outcomes"]}

    return list(await asyncio.gather(*(submit(*p) for p in plans)))


async def wait_for_decisions(c: Clients, tokens: Tokens, referrals: list[dict], timeout: float) -> dict[str, str]:
    """Poll until the contracts service has decided on every referral (no longer `submitted`)."""
    states: dict[str, str] = {}
    deadline = time.monotonic() + timeout
    gate = asyncio.Semaphore(16)

    async def state(r: dict) -> None:
        async with gate:
            got = _ok(await c.referrals.get(f"/v1/referrals/{r['id']}", headers=tokens.practitioner(r["region"])))
        states[r["id"]] = got["state"]

    pending = referrals
    while pending:
        await asyncio.gather(*(state(r) for r in pending))
        pending = [r for r in referrals if states[r["id"]] == "submitted"]
        if pending and time.monotonic() > deadline:
            raise DemoError(f"{len(pending)} referrals still undecided after {timeout:.0f}s")
        if pending:
            await asyncio.sleep(0.3)
    return states


async def _step(c: Clients, base: str, pr: dict, step: str, r: dict, caseworker: str) -> None:
    now = datetime.now(UTC)
    if step == "accepted":
        _ok(await c.referrals.post(f"{base}/accept", headers=pr))
    elif step == "assigned":
        for _ in range(120):  # the caseworker may not have reached the referrals service yet
            resp = await c.referrals.put(f"{base}/caseworker", headers=pr, json={"caseworker_id": caseworker})
            if resp.status_code != 422:
                break
            await asyncio.sleep(0.25)
        _ok(resp)
    elif step == "assessment_booked":
        _ok(await c.referrals.put(f"{base}/assessment", headers=pr, json={
            "starts_at": (now - timedelta(hours=1)).isoformat(), "duration_minutes": 60, "method": "in_person"}))
    elif step == "assessment_attended":
        _ok(await c.referrals.post(f"{base}/assessment/attendance", headers=pr,
                                   json={"attendance": "attended", "feedback": "Engaged well."}))
    elif step == "action_plan_submitted":
        _ok(await c.referrals.put(f"{base}/action-plan", headers=pr, json={
            "activities": ["Agree goals", "Weekly support sessions"], "number_of_sessions": 2}))
    elif step in ("in_delivery", "completed"):
        _ok(await c.referrals.post(f"{base}/sessions", headers=pr,
                                   json={"attendance": "attended", "held_at": now.isoformat(), "feedback": "Good."}))
        if step == "completed":
            outcomes = {code: {"achievement": "achieved"} for code in r["outcomes"]}
            _ok(await c.referrals.post(f"{base}/end-of-service-report", headers=pr, json={"outcomes": outcomes}))


async def move_referrals(c: Clients, tokens: Tokens, referrals: list[dict], states: dict[str, str],
                         caseworkers: dict[str, list[str]], seed: int, s: Summary) -> None:
    """Providers take a share of the sent referrals on; practitioners withdraw some (also some waiting)."""
    reasons = [w["code"] for w in _ok(await c.providers.get("/v1/withdrawal-reasons", headers=tokens.admin()))]
    order = ("sent",) + STEPS
    gate = asyncio.Semaphore(8)

    async def move(r: dict) -> None:
        rng = random.Random(f"{seed}:{r['id']}")
        target = rng.choices(list(PLAN), weights=list(PLAN.values()))[0]
        pp, pr = tokens.practitioner(r["region"]), tokens.provider(r["prime"])
        base = f"/v1/partner/referrals/{r['id']}"
        async with gate:
            if states[r["id"]] == "waitlisted":
                if rng.random() < 0.1:
                    _ok(await c.referrals.post(f"/v1/referrals/{r['id']}/withdraw", headers=pp,
                                               json={"reason_code": rng.choice(reasons)}))
                    s.counts["waitlisted referrals withdrawn"] += 1
                return
            current = states[r["id"]]
            if current not in order:
                return  # concluded or withdrawn (in an earlier run)
            goal = {"withdrawn_early": "accepted", "withdrawn_late": "assessment_attended"}.get(target, target)
            cws = caseworkers.get(r["prime"]) or [""]
            for step in order[order.index(current) + 1: order.index(goal) + 1]:
                await _step(c, base, pr, step, r, cws[rng.randrange(len(cws))])
            if target.startswith("withdrawn"):
                _ok(await c.referrals.post(f"/v1/referrals/{r['id']}/withdraw", headers=pp,
                                           json={"reason_code": rng.choice(reasons)}))
            s.counts[f"moved to {target}"] += 1

    await asyncio.gather(*(move(r) for r in referrals))


# ---- the whole demo -----------------------------------------------------------------------------

async def run_demo(c: Clients, tokens: Tokens, *, contracts: int = 110, referrals: int = 600, seed: int = 2021,
                   start: date | None = None, volume_scale: float = 1.0, timeout: float = 120.0) -> Summary:
    """Load the market and (optionally) a flow of referrals; returns what was done."""
    s = Summary()
    start = start or date.today() - timedelta(days=42)
    chosen = market(contracts, seed, start, volume_scale)
    s.value_share = value_share(chosen)
    providers = await register_providers(c, tokens, chosen, s)
    await award_contracts(c, tokens, chosen, providers, s)
    interventions = await publish_interventions(c, tokens, chosen, providers, random.Random(seed + 3), s)
    if referrals <= 0:
        return s
    made = await submit_referrals(c, tokens, chosen, interventions, referrals, seed, s, timeout)
    states = await wait_for_decisions(c, tokens, made, timeout)
    s.counts.update(f"decided {v}" for v in states.values())
    caseworkers = {p["id"]: p["caseworkers"] for p in providers.values()}
    await move_referrals(c, tokens, made, states, caseworkers, seed, s)
    return s


def report(s: Summary, contracts_url: str, tokens: Tokens) -> str:
    lines = [f"CRS demo loaded in {time.monotonic() - s.started:.1f}s"]
    lines += [f"  {k:<32} {v}" for k, v in sorted(s.counts.items())]
    lines.append(f"  value share by supplier status   {s.value_share}")
    token = tokens.commercial()["Authorization"][7:]
    lines.append(f"Dashboard (commercial, 7 days): {contracts_url}/dashboard?token={token}")
    return "\n".join(lines)


async def main_async(args: argparse.Namespace) -> None:
    tokens = Tokens(args.secret or os.environ.get("CRS_JWT_SECRET", DEV_SECRET))
    urls = {name: getattr(args, f"{name}_url").rstrip("/") for name in ("referrals", "providers", "contracts")}
    async with (httpx.AsyncClient(base_url=urls["referrals"], timeout=30) as referrals,
                httpx.AsyncClient(base_url=urls["providers"], timeout=30) as providers,
                httpx.AsyncClient(base_url=urls["contracts"], timeout=30) as contracts):
        for name, client in (("referrals", referrals), ("providers", providers), ("contracts", contracts)):
            try:
                await client.get("/health")
            except httpx.HTTPError:
                raise SystemExit(f"{name} is not reachable at {urls[name]}: start the platform with `make run`")
        s = await run_demo(Clients(referrals, providers, contracts), tokens, contracts=args.contracts,
                           referrals=args.referrals, seed=args.seed, volume_scale=args.volume_scale,
                           timeout=args.timeout)
    print(report(s, urls["contracts"], tokens))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("referrals", "providers", "contracts"):
        parser.add_argument(f"--{name}-url", default=URLS[name])
    parser.add_argument("--contracts", type=int, default=110, help="how many of the 110 Day-1 contracts")
    parser.add_argument("--referrals", type=int, default=600, help="referrals to submit (0: the market only)")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--volume-scale", type=float, default=1.0, help="scale volume estimates and caps")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds to wait for events to arrive")
    parser.add_argument("--secret", help="JWT secret (default: CRS_JWT_SECRET or the development secret)")
    try:
        asyncio.run(main_async(parser.parse_args(argv)))
    except DemoError as exc:
        sys.exit(f"demo failed: {exc}")


if __name__ == "__main__":
    main()
