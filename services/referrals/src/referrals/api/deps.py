"""Dependencies of the routers: the handlers' context and the caller."""
from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Request

from crs_shared.auth import Principal
from crs_shared.errors import Unauthorized
from crs_shared.web.security import require_roles
from referrals.domain.referral import Practitioner
from referrals.service.uow import Context


def get_context(request: Request) -> Context:
    return request.app.state.referrals


def get_practitioner(principal: Annotated[Principal, Depends(require_roles("practitioner"))]) -> Practitioner:
    return Practitioner(principal.subject, principal.email, principal.team_code, principal.region_code)


def get_provider_id(principal: Annotated[Principal, Depends(require_roles("provider"))]) -> uuid.UUID:
    try:
        return uuid.UUID(str(principal.organisation_id))
    except ValueError:
        raise Unauthorized("the org claim of a provider token must be the provider's id") from None


Ctx = Annotated[Context, Depends(get_context)]
CurrentPractitioner = Annotated[Practitioner, Depends(get_practitioner)]
CurrentProvider = Annotated[uuid.UUID, Depends(get_provider_id)]
