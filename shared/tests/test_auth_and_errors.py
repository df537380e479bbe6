import time

import jwt
import pytest

from crs_shared.auth import TokenVerifier, issue_token
from crs_shared.errors import Forbidden, Unauthorized
from crs_shared.settings import ServiceSettings

SECRET = "s" * 40


def test_token_round_trip_carries_role_and_claims():
    token = issue_token(SECRET, role="provider", organisation_id="p-1", subject="u1")
    principal = TokenVerifier(SECRET).verify(token)
    assert (principal.role, principal.organisation_id, principal.subject) == ("provider", "p-1", "u1")


@pytest.mark.parametrize(
    "token",
    [
        issue_token("x" * 40, role="admin"),  # wrong key
        issue_token(SECRET, role="admin", ttl_s=-10),  # expired
        jwt.encode({"sub": "u", "role": "admin", "iss": "crs-dev-issuer", "aud": "crs-platform",
                    "exp": int(time.time()) + 60}, SECRET, algorithm="HS384"),  # algorithm not allowed
        jwt.encode({"sub": "u", "role": "root", "iss": "crs-dev-issuer", "aud": "crs-platform",
                    "exp": int(time.time()) + 60}, SECRET, algorithm="HS256"),  # unknown role
        issue_token(SECRET, role="provider"),  # provider without org
        "not-a-token",
    ],
)
def test_bad_tokens_are_refused(token):
    with pytest.raises(Unauthorized):
        TokenVerifier(SECRET).verify(token)


def test_role_check():
    principal = TokenVerifier(SECRET).verify(issue_token(SECRET, role="commercial"))
    principal.require("commercial", "admin")
    with pytest.raises(Forbidden):
        principal.require("admin")


def test_production_refuses_the_development_secret():
    with pytest.raises(ValueError, match="JWT secret"):
        ServiceSettings(port=1, database_url="sqlite+aiosqlite://", environment="production")
    ServiceSettings(port=1, database_url="sqlite+aiosqlite://", environment="production", jwt_secret=SECRET)
