"""`make demo`: a realistic Day-1 market and a flow of referrals, through the public APIs only.

Against a running platform (`make run`): registers the providers (primes and
subcontractors) in the providers service, awards about 110 contracts in the contracts
service with the ids it returned, publishes one intervention per contract, then submits
referrals as practitioners (80% aimed at a few small hard-capped contracts, so some reach
thresholds and caps and wait) and moves a share of them through the partner API.
Deterministic (seeded) and safe to re-run: what exists already is found and reused.

    market.py   the seeded market: contracts, providers, the hot contracts
    client.py   HTTP clients (injectable), tokens, checked calls, polling
    loading.py  providers, contracts and interventions into the platform
    flow.py     referrals submitted, decided, moved on by providers
    run.py      run_demo: all of it, in order; summary.py: what it did
    __main__.py the command line
"""
