"""The authenticated caller as a FastAPI dependency."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from crs_shared.auth import Principal, Role, TokenVerifier
from crs_shared.errors import Unauthorized

_bearer = HTTPBearer(auto_error=False, description="A JWT from the CRS identity issuer")


def current_principal(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("a bearer token is required")
    verifier: TokenVerifier = request.app.state.token_verifier
    return verifier.verify(credentials.credentials)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require_roles(*roles: Role):
    """Dependency factory: the caller, if their role is one of `roles` (else 403)."""

    def dependency(principal: CurrentPrincipal) -> Principal:
        principal.require(*roles)
        return principal

    return dependency
