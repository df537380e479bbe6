"""Loads a Day-1 demo market (about 110 contracts) through the public admin API.

    python -m contracts.demo --url http://127.0.0.1:8003 [--token T] [--print-json]

Deterministic (seeded): the same references, primes and terms every run; contracts
already awarded (409) are skipped, so it can run twice. Prime provider ids are
uuid5(NAMESPACE_URL, "crs-demo-provider:<name>") so other demos can use the same ids.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import uuid
from collections import defaultdict
from datetime import date
from decimal import Decimal

import httpx

from crs_shared.auth import issue_token

REGIONS = {"A": "North East", "B": "North West", "C": "Yorkshire and the Humber", "D": "Wales",
           "E": "West Midlands", "F": "East Midlands", "G": "South West", "H": "South Central",
           "I": "East of England", "J": "London", "K": "Kent, Surrey and Sussex", "L": "Greater Manchester"}
PCC_AREAS = {
    "avon-and-somerset": "G", "bedfordshire": "I", "cambridgeshire": "I", "cheshire": "B", "cleveland": "A",
    "cumbria": "B", "derbyshire": "F", "devon-and-cornwall": "G", "dorset": "G", "durham": "A",
    "dyfed-powys": "D", "essex": "I", "gloucestershire": "G", "gwent": "D", "hampshire": "H",
    "hertfordshire": "I", "humberside": "C", "kent": "K", "lancashire": "B", "leicestershire": "F",
    "lincolnshire": "F", "merseyside": "B", "norfolk": "I", "north-wales": "D", "north-yorkshire": "C",
    "northamptonshire": "I", "northumbria": "A", "nottinghamshire": "F", "south-wales": "D",
    "south-yorkshire": "C", "staffordshire": "E", "suffolk": "I", "surrey": "K", "sussex": "K",
    "thames-valley": "H", "warwickshire": "E", "west-mercia": "E", "west-midlands": "E",
    "west-yorkshire": "C", "wiltshire": "G", "metropolitan": "J", "greater-manchester": "L",
}
TITLES = {"ACC": "Accommodation", "ETE": "Education, training and employment", "PWB": "Personal wellbeing",
          "WOS": "Women's services"}
STATUS_WEIGHTS = {"VCSE": 0.72, "SME": 0.16, "LARGE_PRIVATE": 0.1, "PUBLIC_BODY": 0.02}
PRIMES = {
    "VCSE": ["Northern Pathways Trust", "Hope Housing CIC", "St Giles Partnership", "Women Forward", "Open Doors Charity",
             "New Leaf Foundation", "Bridges Community Trust", "Second Chance Wales", "Aspire Together",
             "Compass Mentoring", "Safe Ground Housing", "Harbour Women's Centre", "Kinship Recovery",
             "Rising Up CIC", "Unity Works", "Futures Collective", "Pillar Community Trust", "Horizon Wellbeing",
             "Key Ring Alliance", "The Willow Project", "Lighthouse Advice", "Pathfinder Homes", "Thrive Cymru",
             "Restore Trust", "Greenway Employment Charity", "Anchor Women's Network", "Stepping Stones North",
             "Fresh Start Alliance"],
    "SME": ["Nexus Skills Ltd", "Apex Training Ltd", "Brightpath Services Ltd", "Catalyst Employment Ltd",
            "Milestone Housing Ltd", "Clearview Support Ltd", "Keystone Learning Ltd", "Harmony Care Ltd",
            "Sterling Pathways Ltd", "Vista Employability Ltd"],
    "LARGE_PRIVATE": ["Interserve Justice plc", "Sodexo Rehabilitation Ltd", "Seetec Justice Ltd",
                      "Maximus Justice UK", "Shaw Trust Services", "Ingeus Justice UK"],
    "PUBLIC_BODY": ["Greater Manchester Combined Authority", "Welsh Local Government Partnership"],
}
START, END = date(2026, 6, 26), date(2029, 6, 25)


def provider_id(name: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"crs-demo-provider:{name}")


def day_one_lots() -> list[tuple[str, str, str, str]]:
    """(contract type, area kind, area code, region code) for the 110 Day-1 contracts."""
    lots = [("ACC", "pcc_area", code, region) for code, region in PCC_AREAS.items()]
    lots += [(kind, "region", code, code) for code in REGIONS for kind in ("ETE", "PWB", "WOS")]
    lots += [("WOS", "pcc_area", code, region) for code, region in list(PCC_AREAS.items())[:32]]
    return lots


def _year(rng: random.Random, price: Decimal, banded: bool) -> dict:
    estimate = max(int(price / Decimal(rng.choice([900, 1100, 1300]))), 20)
    cap = int(estimate * 1.3)
    costs = {"LOW": Decimal(rng.randint(250, 450)), "MEDIUM": Decimal(rng.randint(500, 800)),
             "HIGH": Decimal(rng.randint(900, 1400))}
    year = {"fixed_price": str(price), "volume_estimate": estimate, "volume_cap": cap,
            "unit_costs": {k: str(v) for k, v in costs.items()}, "bands": []}
    if banded:
        edges = [int(estimate * f) for f in (0.5, 0.8, 1.0, 1.2)] + [cap]
        shares = (Decimal("0.80"), Decimal("0.90"), Decimal("1.00"), Decimal("1.10"))
        year["bands"] = [{"low": edges[i], "high": edges[i + 1] - 1 if i < 3 else cap,
                          "value": str((price * shares[i]).quantize(Decimal("1")))} for i in range(4)]
    return year


def demo_market(seed: int = 2021) -> list[dict]:
    rng = random.Random(seed)
    contracts = []
    for n, (kind, area_kind, area_code, region) in enumerate(day_one_lots(), start=1):
        status = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
        if region == "L" and kind == "PWB":
            status = "PUBLIC_BODY"
        prime = rng.choice(PRIMES[status])
        pool = [p for names in PRIMES.values() for p in names if p != prime]
        subs = rng.sample(pool, rng.choice([0, 0, 1, 2, 3, 5, 9]))
        base = rng.randint(600, 1500) * 1000 if area_kind == "region" else rng.randint(80, 450) * 1000
        price = Decimal(base)
        banded = price >= 300000
        contracts.append({
            "reference": f"CRS{n:03d}{kind}",
            "title": f"{TITLES[kind]}, {REGIONS[region] if area_kind == 'region' else area_code.replace('-', ' ').title()}",
            "commissioner_region": region,
            "co_commissioner": f"{area_code.replace('-', ' ').title()} PCC" if area_kind == "pcc_area" and rng.random() < 0.3 else None,
            "contract_type": kind,
            "prime_provider_id": str(provider_id(prime)), "prime_provider_name": prime,
            "subcontractor_provider_ids": [str(provider_id(s)) for s in subs],
            "supplier_status": status, "area_kind": area_kind, "area_code": area_code,
            "start_date": START.isoformat(), "end_date": END.isoformat(),
            "cap_policy": "hard" if rng.random() < 0.8 else "soft",
            "years": [_year(rng, (price * Decimal(f)).quantize(Decimal("1")), banded) for f in ("1", "1.02", "1.04")],
        })
    return contracts


def value_share(contracts: list[dict]) -> dict[str, float]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for c in contracts:
        totals[c["supplier_status"]] += sum(Decimal(y["fixed_price"]) for y in c["years"])
    grand = sum(totals.values())
    return {k: round(float(v / grand), 3) for k, v in sorted(totals.items())}


def load(url: str, token: str, contracts: list[dict]) -> tuple[int, int]:
    awarded = skipped = 0
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=30) as client:
        for body in contracts:
            response = client.post("/v1/contracts", json=body)
            if response.status_code == 409:
                skipped += 1
            elif response.status_code == 201:
                awarded += 1
            else:
                raise SystemExit(f"{body['reference']}: {response.status_code} {response.text}")
    return awarded, skipped


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m contracts.demo", description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8003")
    parser.add_argument("--token", help="an admin bearer token (default: signed with CONTRACTS_JWT_SECRET)")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--print-json", action="store_true", help="print the market instead of loading it")
    args = parser.parse_args(argv)
    contracts = demo_market(args.seed)
    if args.print_json:
        json.dump(contracts, sys.stdout, indent=2)
        return
    token = args.token
    if token is None:
        from contracts.settings import Settings
        token = issue_token(Settings().jwt_secret.get_secret_value(), role="admin", subject="demo-loader")
    awarded, skipped = load(args.url.rstrip("/"), token, contracts)
    banded = sum(1 for c in contracts if c["years"][0]["bands"])
    print(f"contracts demo: {awarded} awarded, {skipped} already there; {len(contracts)} contracts, "
          f"{banded} with four bands; value share by supplier status {value_share(contracts)}")


if __name__ == "__main__":
    main()
