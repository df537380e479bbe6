"""`make token ROLE=...`: print a development bearer token (the embedded issuer's secret)."""
from __future__ import annotations

import argparse
import os

from crs_shared.auth import ROLES, issue_token
from crs_shared.settings import DEV_SECRET


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--role", required=True, choices=ROLES)
    parser.add_argument("--sub", default=None, help="user id (default: generated)")
    parser.add_argument("--org", default=None, help="provider id, for role=provider")
    parser.add_argument("--region", default=None, help="probation region code, e.g. A")
    parser.add_argument("--team", default=None)
    parser.add_argument("--email", default=None)
    parser.add_argument("--ttl", type=int, default=8 * 3600, help="seconds")
    args = parser.parse_args()
    if args.role == "provider" and not args.org:
        parser.error("a provider token needs --org (ORG=<provider id>)")
    secret = os.environ.get("CRS_JWT_SECRET", DEV_SECRET)
    print(issue_token(secret, role=args.role, subject=args.sub, organisation_id=args.org,
                      region_code=args.region, team_code=args.team, email=args.email, ttl_s=args.ttl))


if __name__ == "__main__":
    main()
