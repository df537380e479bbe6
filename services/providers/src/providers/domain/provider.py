"""Providers (organisations on the Dynamic Framework) and their caseworkers."""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field, replace
from typing import Any

from crs_shared.errors import Conflict, FieldErrors

ORGANISATION_TYPES = ("VCSE", "SME", "LARGE_PRIVATE", "PUBLIC_BODY")
STATUSES = ("active", "suspended", "offboarded")
# England and Wales: 6 to 8 digits, a linked charity adds "-N".
CHARITY_NUMBER = re.compile(r"^\d{6,8}(-\d{1,2})?$")
# Companies House: 8 digits, or a two-letter prefix (SC, NI, OC, ...) and 6 digits.
COMPANY_NUMBER = re.compile(r"^(\d{8}|[A-Z]{2}\d{6})$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalise_company_number(value: str | None) -> str | None:
    return value.strip().upper() if value else None


def check_email(errors: FieldErrors, field_name: str, value: str) -> None:
    if not EMAIL.match(value or "") or len(value) > 254:
        errors.add(field_name, "invalid_format", "must be an email address")


@dataclass(frozen=True)
class ProviderDetails:
    name: str
    organisation_type: str
    referral_mailbox: str
    charity_number: str | None = None
    company_number: str | None = None

    def check(self, errors: FieldErrors, prefix: str = "") -> None:
        if not self.name.strip():
            errors.add(prefix + "name", "required", "a provider needs a name")
        if self.organisation_type not in ORGANISATION_TYPES:
            errors.add(prefix + "organisation_type", "unknown_code", f"one of {', '.join(ORGANISATION_TYPES)}")
        if self.charity_number is not None and not CHARITY_NUMBER.match(self.charity_number):
            errors.add(prefix + "charity_number", "invalid_format", "6 to 8 digits, optionally -N")
        if self.company_number is not None and not COMPANY_NUMBER.match(self.company_number):
            errors.add(prefix + "company_number", "invalid_format", "8 digits, or 2 letters and 6 digits")
        if self.organisation_type != "PUBLIC_BODY" and not (self.charity_number or self.company_number):
            errors.add(prefix + "company_number", "required", "a charity or company number is required")
        check_email(errors, prefix + "referral_mailbox", self.referral_mailbox)


@dataclass
class Caseworker:
    id: uuid.UUID
    provider_id: uuid.UUID
    name: str
    email: str
    active: bool = True


@dataclass
class Provider:
    id: uuid.UUID
    details: ProviderDetails
    status: str = "active"
    caseworkers: list[Caseworker] = field(default_factory=list)
    events: list[str] = field(default_factory=list)

    @classmethod
    def register(cls, details: ProviderDetails, provider_id: uuid.UUID | None = None) -> Provider:
        errors = FieldErrors()
        details.check(errors)
        errors.raise_if_any()
        provider = cls(id=provider_id or uuid.uuid4(), details=details)
        provider.events.append("provider.registered")
        return provider

    def update(self, status: str | None = None, **changes: Any) -> bool:
        """Apply changed details and/or a status; returns whether anything changed."""
        if self.status == "offboarded":
            raise Conflict("an off-boarded provider can no longer change")
        errors = FieldErrors()
        details = replace(self.details, **changes)
        details.check(errors)
        if status is not None and status not in STATUSES:
            errors.add("status", "unknown_code", f"one of {', '.join(STATUSES)}")
        errors.raise_if_any()
        new_status = status or self.status
        if details == self.details and new_status == self.status:
            return False
        self.details, self.status = details, new_status
        self.events.append("provider.updated")
        return True

    def add_caseworker(self, name: str, email: str, caseworker_id: uuid.UUID | None = None) -> Caseworker:
        if self.status == "offboarded":
            raise Conflict("an off-boarded provider cannot add caseworkers")
        errors = FieldErrors()
        self._check_caseworker(errors, name, email, None)
        errors.raise_if_any()
        caseworker = Caseworker(caseworker_id or uuid.uuid4(), self.id, name.strip(), email.strip().lower())
        self.caseworkers.append(caseworker)
        self.events.append(f"provider.caseworker_added:{caseworker.id}")
        return caseworker

    def update_caseworker(self, caseworker_id: uuid.UUID, *, name: str | None = None, email: str | None = None,
                          active: bool | None = None) -> Caseworker | None:
        """Change a caseworker; None if there is no such caseworker at this provider."""
        caseworker = next((c for c in self.caseworkers if c.id == caseworker_id), None)
        if caseworker is None:
            return None
        errors = FieldErrors()
        new_name = name.strip() if name is not None else caseworker.name
        new_email = email.strip().lower() if email is not None else caseworker.email
        self._check_caseworker(errors, new_name, new_email, caseworker.id)
        errors.raise_if_any()
        new_active = caseworker.active if active is None else active
        if (new_name, new_email, new_active) != (caseworker.name, caseworker.email, caseworker.active):
            caseworker.name, caseworker.email, caseworker.active = new_name, new_email, new_active
            self.events.append(f"provider.caseworker_updated:{caseworker.id}")
        return caseworker

    def _check_caseworker(self, errors: FieldErrors, name: str, email: str, own_id: uuid.UUID | None) -> None:
        if not name.strip():
            errors.add("name", "required", "a caseworker needs a name")
        check_email(errors, "email", email.strip())
        if any(c.email == email.strip().lower() and c.id != own_id for c in self.caseworkers):
            errors.add("email", "duplicate", "this provider already has a caseworker with this email")
