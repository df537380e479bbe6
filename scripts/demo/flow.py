"""The referral flow: practitioners submit referrals, the contracts service decides, providers move them on."""
from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import httpx

from .client import Clients, Tokens, expect, gather_bounded, retry_while
from .market import hot_contracts
from .summary import Summary

FIRST_NAMES = ("Alex", "Jordan", "Sam", "Chris", "Jamie", "Taylor", "Morgan", "Casey", "Robin", "Lee")
LAST_NAMES = ("Smith", "Jones", "Taylor", "Brown", "Evans", "Khan", "Murphy", "Patel", "Walker", "Hughes")
# How far each referral that was sent is taken by its provider (weights), and the steps to get there.
PLAN = {"sent": 30, "accepted": 10, "assigned": 10, "assessment_booked": 10, "assessment_attended": 8,
        "in_delivery": 10, "completed": 12, "withdrawn_early": 6, "withdrawn_late": 4}
STEPS = ("accepted", "assigned", "assessment_booked", "assessment_attended", "action_plan_submitted",
         "in_delivery", "completed")
ORDER = ("sent",) + STEPS
WITHDRAWN_AFTER = {"withdrawn_early": "accepted", "withdrawn_late": "assessment_attended"}


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


def _unknown(code: str) -> Callable[[httpx.Response], bool]:
    """True of a 422 naming `code`: something the request refers to has not reached the service yet."""
    return lambda r: r.status_code == 422 and code in r.text


async def submit_referrals(c: Clients, tokens: Tokens, contracts: list[dict], interventions: dict[str, dict],
                           count: int, seed: int, s: Summary, timeout: float) -> list[dict]:
    """Submit `count` referrals; each waits (retrying) until the referrals service knows its intervention."""
    rng, today = random.Random(seed + 2), date.today()
    hot, every = hot_contracts(contracts), [c_["reference"] for c_ in contracts]
    plans = []
    for n in range(count):
        ref = rng.choice(hot) if rng.random() < 0.8 else rng.choice(every)
        plans.append((n, ref, referral_body(interventions[ref], n, rng, today)))

    async def submit(plan: tuple[int, str, dict]) -> dict:
        n, ref, body = plan
        intervention = interventions[ref]
        key = f"demo-{seed}-{n}-" + hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:16]
        headers = {**tokens.practitioner(intervention["region_code"]), "Idempotency-Key": key}
        r = await retry_while(lambda: c.referrals.post("/v1/referrals/submit", headers=headers, json=body),
                              _unknown("unknown_intervention"), timeout=timeout,
                              awaiting=f"intervention {intervention['id']} ({ref}) to reach the referrals service")
        referral = expect(r, 201, doing=f"submitting referral {n} to {ref}")
        replayed = r.headers.get("Idempotent-Replayed") == "true"
        s.counts["referrals already submitted" if replayed else "referrals submitted"] += 1
        return {"id": referral["id"], "region": intervention["region_code"], "contract": body,
                "prime": intervention["prime_provider_id"], "outcomes": body["desired_outcomes"]}

    return await gather_bounded(16, plans, submit)


async def wait_for_decisions(c: Clients, tokens: Tokens, referrals: list[dict], timeout: float) -> dict[str, str]:
    """Poll until the contracts service has decided on every referral (no longer `submitted`); their states."""
    def undecided(r: httpx.Response) -> bool:
        return r.status_code == 200 and r.json()["state"] == "submitted"

    async def decided(referral: dict) -> str:
        r = await retry_while(
            lambda: c.referrals.get(f"/v1/referrals/{referral['id']}", headers=tokens.practitioner(referral["region"])),
            undecided, timeout=timeout, interval=0.3,
            awaiting=f"the contracts service's decision on referral {referral['id']} (still submitted)")
        return expect(r, doing=f"reading referral {referral['id']}")["state"]

    states = await gather_bounded(16, referrals, decided)
    return {r["id"]: state for r, state in zip(referrals, states)}


def _partner_calls(step: str, outcomes: list[str], caseworker: str) -> list[tuple[str, str, dict | None]]:
    """(method, path under the referral, body) of the partner API calls that take a referral on to `step`."""
    now = datetime.now(UTC)
    session = ("POST", "/sessions", {"attendance": "attended", "held_at": now.isoformat(), "feedback": "Good."})
    return {
        "accepted": [("POST", "/accept", None)],
        "assigned": [("PUT", "/caseworker", {"caseworker_id": caseworker})],
        "assessment_booked": [("PUT", "/assessment", {
            "starts_at": (now - timedelta(hours=1)).isoformat(), "duration_minutes": 60, "method": "in_person"})],
        "assessment_attended": [("POST", "/assessment/attendance",
                                 {"attendance": "attended", "feedback": "Engaged well."})],
        "action_plan_submitted": [("PUT", "/action-plan", {
            "activities": ["Agree goals", "Weekly support sessions"], "number_of_sessions": 2})],
        "in_delivery": [session],
        "completed": [session, ("POST", "/end-of-service-report",
                                {"outcomes": {code: {"achievement": "achieved"} for code in outcomes}})],
    }[step]


async def _take_step(c: Clients, provider: dict[str, str], r: dict, step: str, caseworker: str,
                     timeout: float) -> None:
    for method, path, body in _partner_calls(step, r["outcomes"], caseworker):
        url = f"/v1/partner/referrals/{r['id']}{path}"
        # Only an assignment can name something still on its way: the caseworker, from the providers service.
        resp = await retry_while(lambda: c.referrals.request(method, url, headers=provider, json=body),
                                 _unknown("not_a_caseworker_of_provider"), timeout=timeout,
                                 awaiting=f"caseworker {caseworker} to reach the referrals service")
        expect(resp, doing=f"taking referral {r['id']} on to {step}")


async def _withdraw(c: Clients, tokens: Tokens, r: dict, reason: str) -> None:
    resp = await c.referrals.post(f"/v1/referrals/{r['id']}/withdraw", headers=tokens.practitioner(r["region"]),
                                  json={"reason_code": reason})
    expect(resp, doing=f"withdrawing referral {r['id']}")


async def move_referrals(c: Clients, tokens: Tokens, referrals: list[dict], states: dict[str, str],
                         caseworkers: dict[str, list[str]], seed: int, s: Summary, timeout: float) -> None:
    """Providers take a share of the sent referrals on; practitioners withdraw some (also some waiting)."""
    reasons = [w["code"] for w in expect(await c.providers.get("/v1/withdrawal-reasons", headers=tokens.admin()))]

    async def move(r: dict) -> None:
        rng = random.Random(f"{seed}:{r['id']}")
        target = rng.choices(list(PLAN), weights=list(PLAN.values()))[0]
        current = states[r["id"]]
        if current == "waitlisted":
            if rng.random() < 0.1:
                await _withdraw(c, tokens, r, rng.choice(reasons))
                s.counts["waitlisted referrals withdrawn"] += 1
            return
        if current not in ORDER:
            return  # concluded or withdrawn (in an earlier run)
        cws = caseworkers.get(r["prime"]) or [""]
        goal = WITHDRAWN_AFTER.get(target, target)
        for step in ORDER[ORDER.index(current) + 1: ORDER.index(goal) + 1]:
            await _take_step(c, tokens.provider(r["prime"]), r, step, cws[rng.randrange(len(cws))], timeout)
        if target in WITHDRAWN_AFTER:
            await _withdraw(c, tokens, r, rng.choice(reasons))
        s.counts[f"moved to {target}"] += 1

    await gather_bounded(8, referrals, move)
