"""Composition root of the contracts service."""
from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from crs_shared.runtime import ServiceRuntime
from crs_shared.web.app import create_service_app
from contracts.adapters.tables import inbox_messages, outbox_messages
from contracts.consumers import build_consumers
from contracts.settings import Settings

SERVICE = "contracts"
MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def build_runtime(settings: Settings) -> ServiceRuntime:
    return ServiceRuntime(
        settings,
        name=SERVICE,
        outbox=outbox_messages,
        inbox=inbox_messages,
        consumers=build_consumers(),
        migrations_dir=MIGRATIONS,
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    runtime = build_runtime(settings)
    return create_service_app(
        title="Contract tracking",
        description="Fixed-price contracts with volume caps and bands, live volume against them, alerts and dashboards.",
        runtime=runtime,
        routers=[],
    )
