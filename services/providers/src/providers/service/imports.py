"""Bulk onboarding: providers and interventions from one file, all or nothing."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy.exc import IntegrityError

from crs_shared.db import utcnow
from crs_shared.errors import AppError, FieldError, FieldErrors, ValidationFailed

from providers.adapters.catalogue_file import (
    InterventionRow, ParsedFile, ProviderRow, RowError, parse_catalogue_file,
)
from providers.adapters.provider_repository import NUMBER_FIELDS, number_taken
from providers.domain.intervention import CategoryOffer, Eligibility, Intervention, InterventionDefinition
from providers.domain.provider import Provider, ProviderDetails, normalise_company_number
from providers.service.events import emit_provider_events
from providers.service.interventions import DUPLICATE_REFERENCE, check, store
from providers.service.providers import ALREADY_REGISTERED
from providers.service.uow import CatalogueUoW

# Domain field names -> the import file's flat column names.
_RENAMES = {"eligibility.": "", "prime_provider_id": "prime_provider", "subcontractor_provider_ids": "subcontractors"}


class ImportRejected(AppError):
    status, code, title = 422, "import_rejected", "Import rejected"

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} problem(s); nothing was imported", errors=[e.as_dict() for e in errors])
        self.errors = errors


@dataclass
class ImportResult:
    providers: dict[str, uuid.UUID] = field(default_factory=dict)  # file ref -> new provider id
    interventions: list[tuple[int, uuid.UUID, str]] = field(default_factory=list)  # row, id, contract ref


def _flat(name: str) -> str:
    for old, new in _RENAMES.items():
        name = name.replace(old, new)
    return name


def _row_errors(record: str, row: int, errors: FieldErrors | list[FieldError], prefix: str = "") -> list[RowError]:
    items = errors.errors if isinstance(errors, FieldErrors) else errors
    return [RowError(record, row, prefix + _flat(e.field), e.code, e.message) for e in items]


def _blames_a_rejected_provider(e: FieldError, row: InterventionRow, rejected: set[str]) -> bool:
    """An unknown provider that is a bad provider row of this file: that row's errors already say why."""
    if e.code != "unknown_provider":
        return False
    if e.field == "prime_provider_id":
        return row.prime_provider in rejected
    index = int(e.field.rsplit(".", 1)[-1])
    return row.subcontractors[index] in rejected


class NumberRegister:
    """Charity and company numbers already held (in the database, or by an earlier row of the file)."""

    def __init__(self, held: dict[str, dict[str, str]]) -> None:
        self.held = held

    @classmethod
    async def load(cls, uow: CatalogueUoW, details: list[ProviderDetails]) -> NumberRegister:
        held = {}
        for name in NUMBER_FIELDS:
            holders = await uow.providers.number_holders(name, (getattr(d, name) for d in details))
            held[name] = {number: f"provider {holder}" for number, holder in holders.items()}
        return cls(held)

    def claim(self, row: int, details: ProviderDetails) -> list[RowError]:
        errors = []
        for name in NUMBER_FIELDS:
            number = getattr(details, name)
            if number and number in self.held[name]:
                errors.append(RowError("provider", row, name, ALREADY_REGISTERED,
                                       f"this {name.replace('_', ' ')} is registered to {self.held[name][number]}"))
            elif number:
                self.held[name][number] = f"provider row {row} of this file"
        return errors


def _details(p: ProviderRow) -> ProviderDetails:
    return ProviderDetails(p.name, p.organisation_type, p.referral_mailbox, p.charity_number,
                           normalise_company_number(p.company_number))


def _definition(row: InterventionRow, resolve: dict[str, uuid.UUID]) -> InterventionDefinition:
    def provider_id(value: str) -> uuid.UUID:
        if value in resolve:
            return resolve[value]
        try:
            return uuid.UUID(value)
        except ValueError:
            return uuid.uuid4()  # names nobody: reported as an unknown provider

    return InterventionDefinition(
        title=row.title, description=row.description, contract_type=row.contract_type,
        service_categories=tuple(CategoryOffer(c.code, tuple(c.complexity_levels), tuple(c.desired_outcome_codes))
                                 for c in row.service_categories),
        area_kind=row.area_kind, area_code=row.area_code,
        eligibility=Eligibility(row.minimum_age, row.maximum_age, row.allows_male, row.allows_female),
        prime_provider_id=provider_id(row.prime_provider),
        subcontractor_provider_ids=tuple(provider_id(s) for s in row.subcontractors),
        contract_reference=row.contract_reference, open_from=row.open_from, open_to=row.open_to,
    )


def _raced(exc: IntegrityError) -> ImportRejected:
    """Another change took a number or a contract reference between the checks and the commit."""
    name = number_taken(exc)
    if name is not None:
        return ImportRejected([RowError("provider", 0, name, ALREADY_REGISTERED,
                                        f"another change registered a {name.replace('_', ' ')} of this file")])
    return ImportRejected([RowError("intervention", 0, "contract_reference", DUPLICATE_REFERENCE,
                                    "another change took a contract reference meanwhile")])


async def import_catalogue(uow: CatalogueUoW, content: bytes, fmt: Literal["json", "csv"]) -> ImportResult:
    """Import a catalogue file: every row valid and written, or nothing written and every problem reported."""
    parsed: ParsedFile = parse_catalogue_file(content, fmt)
    errors = list(parsed.errors)
    result = ImportResult()
    async with uow:
        new_providers: list[Provider] = []
        rejected: set[str] = set()
        numbers = await NumberRegister.load(uow, [_details(p) for _, p in parsed.providers])
        for row, p in parsed.providers:
            if p.ref in result.providers or p.ref in rejected:
                errors.append(RowError("provider", row, "ref", "duplicate", f"ref {p.ref!r} is used twice"))
                continue
            details = _details(p)
            try:
                provider = Provider.register(details)
            except ValidationFailed as exc:
                errors += _row_errors("provider", row, exc.errors)
                rejected.add(p.ref)
                continue
            taken = numbers.claim(row, details)
            if taken:
                errors += taken
                rejected.add(p.ref)
                continue
            for n, c in enumerate(p.caseworkers):
                try:
                    provider.add_caseworker(c.name, c.email)
                except ValidationFailed as exc:
                    errors += _row_errors("provider", row, exc.errors, prefix=f"caseworkers.{n}.")
            result.providers[p.ref] = provider.id
            new_providers.append(provider)

        definitions: list[tuple[int, InterventionDefinition]] = []
        seen_refs: dict[str, int] = {}
        for row, i in parsed.interventions:
            d = _definition(i, result.providers)
            row_errors = FieldErrors()
            await check(uow, d, row_errors, new_providers={p.id for p in new_providers})
            if d.contract_reference in seen_refs:
                row_errors.add("contract_reference", DUPLICATE_REFERENCE,
                               f"also used on intervention row {seen_refs[d.contract_reference]}")
            seen_refs.setdefault(d.contract_reference, row)
            errors += _row_errors("intervention", row, [
                e for e in row_errors.errors if not _blames_a_rejected_provider(e, i, rejected)])
            definitions.append((row, d))
        if errors:
            raise ImportRejected(errors)

        try:
            for provider in new_providers:
                await uow.providers.add(provider)
                emit_provider_events(uow, provider)
            for row, d in definitions:
                intervention = Intervention.publish(d, utcnow())
                await store(uow, intervention, new=True)
                result.interventions.append((row, intervention.id, d.contract_reference))
            await uow.commit()
        except IntegrityError as exc:
            raise _raced(exc) from exc
    return result
