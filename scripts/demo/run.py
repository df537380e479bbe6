"""The whole demo: load the market, then (optionally) a flow of referrals through it."""
from __future__ import annotations

import random
from datetime import date, timedelta

from .client import Clients, Tokens
from .flow import move_referrals, submit_referrals, wait_for_decisions
from .loading import award_contracts, publish_interventions, register_providers
from .market import market, value_share
from .summary import Summary


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
    await move_referrals(c, tokens, made, states, caseworkers, seed, s, timeout)
    return s
