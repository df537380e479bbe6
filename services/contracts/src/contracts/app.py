"""Composition root of the contracts service."""
from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI

from crs_shared.db import utcnow
from crs_shared.outbox import Outbox
from crs_shared.runtime import Periodic, ServiceRuntime
from crs_shared.web.app import create_service_app
from contracts.adapters.tables import inbox_messages, outbox_messages
from contracts.api import admin, commercial, dashboard
from contracts.consumers import build_consumers
from contracts.service.capacity import promote_for_current_years
from contracts.service.risk import check_all
from contracts.service.uow import ContractsUnitOfWork
from contracts.settings import Settings

SERVICE = "contracts"
MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
log = logging.getLogger(__name__)


async def new_year_promotions(runtime: ServiceRuntime) -> None:
    """Count waiting referrals into contract years that have started since."""
    async with ContractsUnitOfWork(runtime.sessions, runtime.outbox, SERVICE) as uow:
        promoted = await promote_for_current_years(uow, utcnow().date())
        await uow.commit()
    if promoted:
        log.info("counted %d waiting referrals into new contract years", promoted)


async def at_risk_watch(runtime: ServiceRuntime) -> None:
    """Raise `contract.at_risk` for forecasts that crossed into a risk as time passed."""
    async with ContractsUnitOfWork(runtime.sessions, runtime.outbox, SERVICE) as uow:
        raised = await check_all(uow, utcnow().date())
        await uow.commit()
    if raised:
        log.info("raised %d contract risks", raised)


def build_runtime(settings: Settings) -> ServiceRuntime:
    return ServiceRuntime(
        settings,
        name=SERVICE,
        outbox=outbox_messages,
        inbox=inbox_messages,
        consumers=build_consumers(Outbox(outbox_messages)),
        workers={
            "new-year-promotions": Periodic(new_year_promotions, settings.promotion_interval_s),
            "at-risk-watch": Periodic(at_risk_watch, settings.risk_check_interval_s),
        },
        migrations_dir=MIGRATIONS,
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    runtime = build_runtime(settings)
    return create_service_app(
        title="Contract tracking",
        description="Fixed-price contracts with volume caps and bands, live volume against them, alerts and dashboards.",
        runtime=runtime,
        routers=[admin.router, commercial.router, dashboard.router],
    )
