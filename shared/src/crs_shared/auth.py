"""Bearer JWTs carrying the caller's role and organisation/region claims.

The development issuer signs with a shared secret (HS256). `TokenVerifier` is the one
place that checks tokens, so a JWKS-backed verifier can replace it without touching
any endpoint.
"""
from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Literal

import jwt

from crs_shared.errors import Forbidden, Unauthorized

Role = Literal["practitioner", "provider", "commercial", "admin"]
ROLES: tuple[Role, ...] = ("practitioner", "provider", "commercial", "admin")
DEV_ISSUER = "crs-dev-issuer"
AUDIENCE = "crs-platform"


@dataclass(frozen=True)
class Principal:
    subject: str
    role: Role
    organisation_id: str | None = None  # a provider's id, for role=provider
    region_code: str | None = None  # probation region, for practitioners and commercial users
    team_code: str | None = None
    email: str | None = None
    name: str | None = None

    def require(self, *roles: Role) -> None:
        if self.role not in roles:
            raise Forbidden(f"role {self.role!r} may not do this")


class TokenVerifier:
    def __init__(self, secret: str, issuer: str = DEV_ISSUER, audience: str = AUDIENCE) -> None:
        self.secret = secret
        self.issuer = issuer
        self.audience = audience

    def verify(self, token: str) -> Principal:
        try:
            claims = jwt.decode(
                token, self.secret, algorithms=["HS256"], issuer=self.issuer, audience=self.audience,
                options={"require": ["exp", "sub", "iss", "aud"]},
            )
        except jwt.PyJWTError as exc:
            raise Unauthorized(f"invalid token: {exc}") from exc
        role = claims.get("role")
        if role not in ROLES:
            raise Unauthorized("token has no valid role claim")
        if role == "provider" and not claims.get("org"):
            raise Unauthorized("a provider token needs an org claim")
        return Principal(
            subject=claims["sub"],
            role=role,
            organisation_id=claims.get("org"),
            region_code=claims.get("region"),
            team_code=claims.get("team"),
            email=claims.get("email"),
            name=claims.get("name"),
        )


def issue_token(
    secret: str,
    *,
    role: Role,
    subject: str | None = None,
    organisation_id: str | None = None,
    region_code: str | None = None,
    team_code: str | None = None,
    email: str | None = None,
    name: str | None = None,
    ttl_s: int = 8 * 3600,
    issuer: str = DEV_ISSUER,
) -> str:
    now = int(time.time())
    claims = {
        "iss": issuer,
        "aud": AUDIENCE,
        "sub": subject or f"{role}-{uuid.uuid4().hex[:8]}",
        "role": role,
        "iat": now,
        "exp": now + ttl_s,
    }
    optional = {"org": organisation_id, "region": region_code, "team": team_code, "email": email, "name": name}
    claims.update({k: v for k, v in optional.items() if v is not None})
    return jwt.encode(claims, secret, algorithm="HS256")
