"""Award, vary and bulk-import contracts; each is one transaction with its events."""
from __future__ import annotations

import uuid
from typing import Any

from crs_shared.db import utcnow
from crs_shared.errors import Conflict, FieldError, NotFound, ValidationFailed
from crs_shared.events.contracts import ContractAwarded, ContractVaried

from contracts.adapters.contract_repository import terms_snapshot
from contracts.domain.contract import Areas, Contract, Variation, describe_variation
from contracts.service.capacity import decide_unmatched, promote_waitlisted
from contracts.service.commands import AwardContract, VaryContract, new_contract, varied_contract
from contracts.service.uow import ContractsUnitOfWork


def _terms_event(contract: Contract) -> dict[str, Any]:
    return dict(
        contract_id=contract.id, contract_reference=contract.reference, contract_type=contract.contract_type,
        prime_provider_id=contract.prime_provider_id, subcontractor_provider_ids=contract.subcontractor_provider_ids,
        area_kind=contract.area_kind, area_code=contract.area_code, region_code=contract.region_code,
        start_date=contract.start_date, end_date=contract.end_date, cap_policy=contract.cap_policy,
    )


def _checked(command: AwardContract, areas: Areas) -> Contract:
    contract = new_contract(command, areas.region_of(command.area_kind, command.area_code))
    contract.validate(areas)
    return contract


async def _add(uow: ContractsUnitOfWork, contract: Contract, by: str) -> None:
    await uow.contracts.add(contract, by=by, at=utcnow())
    uow.emit(ContractAwarded(**_terms_event(contract)), contract_id=contract.id)
    await decide_unmatched(uow, str(contract.id))


async def award_contract(uow: ContractsUnitOfWork, command: AwardContract, *, by: str) -> Contract:
    """Award a contract; referrals already waiting for its reference are decided now."""
    async with uow:
        contract = _checked(command, await uow.contracts.areas())
        if await uow.contracts.reference_taken(contract.reference):
            raise Conflict(f"a contract with reference {contract.reference} exists")
        await _add(uow, contract, by)
        await uow.commit()
    return contract


async def import_contracts(uow: ContractsUnitOfWork, commands: list[AwardContract], *, by: str) -> list[Contract]:
    """Award every contract or none: all row errors are reported together."""
    async with uow:
        areas = await uow.contracts.areas()
        errors: list[FieldError] = []
        built: list[Contract] = []
        seen: set[str] = set()
        for row, command in enumerate(commands):
            try:
                contract = _checked(command, areas)
            except ValidationFailed as exc:
                errors += [FieldError(f"rows.{row}.{e.field}", e.code, e.message) for e in exc.errors]
                continue
            if contract.reference in seen or await uow.contracts.reference_taken(contract.reference):
                errors.append(FieldError(f"rows.{row}.reference", "duplicate_reference",
                                         f"{contract.reference} is already awarded or repeated in the file"))
            seen.add(contract.reference)
            built.append(contract)
        if errors:
            raise ValidationFailed(errors, "No contract was imported: fix the rows listed")
        for contract in built:
            await _add(uow, contract, by)
        await uow.commit()
    return built


async def vary_contract(uow: ContractsUnitOfWork, contract_id: uuid.UUID, command: VaryContract,
                        *, by: str) -> tuple[Contract, Variation]:
    """Vary a contract's terms; the terms before are kept with the variation."""
    async with uow:
        before = await uow.contracts.get(contract_id, for_update=True)
        if before is None:
            raise NotFound("no such contract")
        after = varied_contract(before, command)
        after.validate(await uow.contracts.areas())
        kinds, changes = describe_variation(before, after)
        if not kinds:
            raise ValidationFailed([FieldError("body", "no_change", "the variation changes nothing")])
        for year in before.years[len(after.years):]:
            if await uow.contracts.year_has_activity(before.id, year.number):
                raise Conflict(f"contract year {year.number} already has referrals; it cannot be removed")
            await uow.contracts.remove_year(before.id, year.number)
        now = utcnow()
        variation = Variation(id=uuid.uuid4(), contract_id=before.id, kinds=kinds, reason=command.reason,
                              varied_by=by, varied_at=now, changes=changes)
        await uow.contracts.save(after, at=now)
        await uow.contracts.add_variation(variation, terms_snapshot(before))
        uow.emit(ContractVaried(**_terms_event(after), variation_id=variation.id, reason=command.reason),
                 contract_id=after.id)
        caps_before = {y.number: y.terms.volume_cap for y in before.years}
        for year in after.years:  # a raised cap frees places for the oldest waiting referrals
            if year.terms.volume_cap > caps_before.get(year.number, year.terms.volume_cap):
                await promote_waitlisted(uow, str(after.id), year.number)
        await uow.commit()
    return after, variation
