"""Request and response bodies of the provider endpoints."""
from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict, Field

from providers.domain.provider import Caseworker, Provider


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class CaseworkerIn(_In):
    name: str = Field(min_length=1, max_length=200)
    email: str = Field(max_length=254)


class CaseworkerPatch(_In):
    name: str | None = Field(None, min_length=1, max_length=200)
    email: str | None = Field(None, max_length=254)
    active: bool | None = None


class ProviderIn(_In):
    name: str = Field(min_length=1, max_length=200)
    organisation_type: str = Field(description="VCSE, SME, LARGE_PRIVATE or PUBLIC_BODY")
    charity_number: str | None = Field(None, description="England and Wales: 6 to 8 digits, optionally -N")
    company_number: str | None = Field(None, description="8 digits, or 2 letters and 6 digits (e.g. SC123456)")
    referral_mailbox: str = Field(max_length=254, description="where new referrals are announced")
    caseworkers: list[CaseworkerIn] = []


class ProviderPatch(_In):
    name: str | None = Field(None, min_length=1, max_length=200)
    organisation_type: str | None = None
    charity_number: str | None = None
    company_number: str | None = None
    referral_mailbox: str | None = Field(None, max_length=254)
    status: str | None = Field(None, description="active, suspended or offboarded (final)")


class CaseworkerOut(BaseModel):
    id: uuid.UUID
    provider_id: uuid.UUID
    name: str
    email: str
    active: bool

    @classmethod
    def of(cls, c: Caseworker) -> CaseworkerOut:
        return cls(id=c.id, provider_id=c.provider_id, name=c.name, email=c.email, active=c.active)


class ProviderOut(BaseModel):
    id: uuid.UUID
    name: str
    organisation_type: str
    charity_number: str | None
    company_number: str | None
    referral_mailbox: str
    status: str
    caseworkers: list[CaseworkerOut] | None = Field(
        None, description="only for admins and the provider itself; null for everyone else")

    @classmethod
    def of(cls, p: Provider, *, with_caseworkers: bool) -> ProviderOut:
        d = p.details
        return cls(
            id=p.id, name=d.name, organisation_type=d.organisation_type, charity_number=d.charity_number,
            company_number=d.company_number, referral_mailbox=d.referral_mailbox, status=p.status,
            caseworkers=[CaseworkerOut.of(c) for c in p.caseworkers] if with_caseworkers else None,
        )


class ProviderPage(BaseModel):
    items: list[ProviderOut]
    next_cursor: str | None
