"""Composition root of the notifications service."""
from __future__ import annotations

from functools import partial
from pathlib import Path

from fastapi import FastAPI

from crs_shared.outbox import Outbox
from crs_shared.runtime import ServiceRuntime
from crs_shared.web.app import create_service_app
from notifications.adapters.tables import inbox_messages, outbox_messages
from notifications.api import deliveries, inbox, webhooks
from notifications.consumers import build_consumers
from notifications.service.delivery import delivery_worker
from notifications.service.wakeup import Wakeup
from notifications.settings import Settings

SERVICE = "notifications"
MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def build_runtime(settings: Settings) -> ServiceRuntime:
    wakeup = Wakeup()  # the consumer rings it after committing deliveries; the delivery loops wait on it
    return ServiceRuntime(
        settings,
        name=SERVICE,
        outbox=outbox_messages,
        inbox=inbox_messages,
        consumers=build_consumers(settings, Outbox(outbox_messages), wakeup=wakeup),
        workers={f"delivery-{i}": partial(delivery_worker, wakeup=wakeup) for i in range(settings.delivery_workers)},
        migrations_dir=MIGRATIONS,
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    runtime = build_runtime(settings)
    return create_service_app(
        title="Notifications",
        description="Email, signed webhooks and an inbox, driven by events, with retries and a delivery log.",
        runtime=runtime,
        routers=[inbox.router, webhooks.router, deliveries.router],
    )
