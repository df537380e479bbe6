"""The Day-1 market, generated from a seed: contracts with provider names, and the providers themselves."""
from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

# The market's vocabulary, and its 110 lots, are the contracts service's own demo's: one Day-1 market.
from contracts.demo import PRIMES, REGIONS, STATUS_WEIGHTS, TITLES
from contracts.demo import day_one_lots

CASEWORKERS = ("Sam Okafor", "Priya Shah", "Jo Williams")
STATUS_OF_PROVIDER = {name: status for status, names in PRIMES.items() for name in names}


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
    for n, (kind, area_kind, area_code, region) in enumerate(day_one_lots(), start=1):
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


def hot_contracts(contracts: list[dict], how_many: int = 3) -> list[str]:
    """The smallest hard-capped contracts: 80% of referrals go there, so some reach their cap."""
    hard = [c for c in contracts if c["cap_policy"] == "hard"] or contracts
    return [c["reference"] for c in sorted(hard, key=lambda c: c["years"][0]["volume_cap"])[:how_many]]


def provider_names(contracts: list[dict]) -> list[str]:
    """Every prime and subcontractor of `contracts`, sorted (the order numbers their registrations)."""
    return sorted({name for c in contracts for name in (c["prime_provider_name"], *c["subcontractors"])})


def _slug(name: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in name.lower()).strip("-").replace("--", "-")


def provider_body(name: str, n: int) -> dict:
    """The registration of provider `name`, the `n`th of the market (its company or charity number)."""
    status = STATUS_OF_PROVIDER[name]
    domain = f"{_slug(name)}.example.org"
    body = {"name": name, "organisation_type": status, "referral_mailbox": f"referrals@{domain}",
            "caseworkers": [{"name": c, "email": f"{_slug(c)}@{domain}"} for c in CASEWORKERS]}
    if status == "VCSE":
        body["charity_number"] = str(1100000 + n * 137)
    else:
        body["company_number"] = f"{8000000 + n * 4111:08d}"
    return body
