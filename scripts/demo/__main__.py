"""`make demo`: a realistic Day-1 market and a flow of referrals, through the public APIs only.

    python scripts/demo [--contracts 110] [--referrals 600] [--seed 2021] [--secret S]

Against a running platform (`make run`); also `python -m scripts.demo` from the repository root.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

import httpx

if not __package__:
    # Run as `python scripts/demo`: Python put this folder first on the path, where its modules would
    # shadow top-level ones and cannot import each other as a package; the repository root can.
    sys.path[0] = str(Path(__file__).resolve().parents[2])

from crs_shared.settings import DEV_SECRET  # noqa: E402
from scripts.demo.client import SERVICES, Clients, DemoError, Tokens  # noqa: E402
from scripts.demo.run import run_demo  # noqa: E402
from scripts.demo.summary import report  # noqa: E402

URLS = {"referrals": "http://127.0.0.1:8001", "providers": "http://127.0.0.1:8002",
        "contracts": "http://127.0.0.1:8003"}


async def main_async(args: argparse.Namespace) -> None:
    tokens = Tokens(args.secret or os.environ.get("CRS_JWT_SECRET", DEV_SECRET))
    urls = {name: getattr(args, f"{name}_url").rstrip("/") for name in SERVICES}
    async with Clients.connect(urls) as clients:
        for name in SERVICES:
            try:
                await getattr(clients, name).get("/health")
            except httpx.HTTPError:
                raise SystemExit(f"{name} is not reachable at {urls[name]}: start the platform with `make run`")
        s = await run_demo(clients, tokens, contracts=args.contracts, referrals=args.referrals, seed=args.seed,
                           volume_scale=args.volume_scale, timeout=args.timeout)
    print(report(s, urls["contracts"], tokens))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in SERVICES:
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
