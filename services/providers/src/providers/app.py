"""Composition root of the providers service."""
from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from crs_shared.runtime import ServiceRuntime
from crs_shared.web.app import create_service_app
from providers.adapters.tables import inbox_messages, outbox_messages
from providers.api import imports, interventions, providers, reference
from providers.consumers import build_consumers
from providers.service.uow import ReferenceCache
from providers.settings import Settings

SERVICE = "providers"
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
    app = create_service_app(
        title="Provider catalogue",
        description="Providers and their supply chains, interventions, service categories, regions and eligibility.",
        runtime=runtime,
        routers=[reference.router, providers.router, interventions.router, imports.router],
    )
    app.state.reference_cache = ReferenceCache()
    return app
