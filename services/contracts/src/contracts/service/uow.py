"""The contracts service's unit of work: one transaction, its repositories and its events."""
from __future__ import annotations

from crs_shared.uow import UnitOfWork

from contracts.adapters.capacity_repository import CapacityRepository
from contracts.adapters.contract_repository import ContractRepository
from contracts.adapters.reporting_repository import ReportingRepository
from contracts.adapters.risk_repository import RiskRepository


class ContractsUnitOfWork(UnitOfWork):
    contracts: ContractRepository
    capacity: CapacityRepository
    reporting: ReportingRepository
    risks: RiskRepository

    def _attach(self) -> None:
        self.contracts = ContractRepository(self.session)
        self.capacity = CapacityRepository(self.session)
        self.reporting = ReportingRepository(self.session)
        self.risks = RiskRepository(self.session)
