"""Composition root of the referrals service."""
from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from crs_shared.runtime import ServiceRuntime
from crs_shared.web.app import create_service_app
from referrals.adapters.tables import inbox_messages, outbox_messages
from referrals.consumers import build_consumers
from referrals.settings import Settings

SERVICE = "referrals"
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
        title="Referrals",
        description="Referral intake for probation practitioners and the partner API through which providers accept, decline, assign, deliver and report.",
        runtime=runtime,
        routers=[],
    )
