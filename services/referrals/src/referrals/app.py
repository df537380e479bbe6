"""Composition root of the referrals service."""
from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from crs_shared.runtime import Periodic, ServiceRuntime
from crs_shared.web.app import create_service_app
from referrals.adapters.tables import inbox_messages, outbox_messages
from referrals.api import partner, practitioner
from referrals.consumers import build_consumers
from referrals.service.timers import delete_stale_drafts, report_breaches
from referrals.service.uow import Context, ReferralsUoW
from referrals.settings import Settings

SERVICE = "referrals"
MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def build_context(runtime: ServiceRuntime) -> Context:
    """Handlers' context; units of work bind to the runtime's sessions once it has started."""
    return Context(
        uow=lambda: ReferralsUoW(runtime.sessions, runtime.outbox, SERVICE),  # type: ignore[arg-type]
        joined=lambda session: ReferralsUoW.joining(session, runtime.outbox, SERVICE),
    )


def build_runtime(settings: Settings) -> ServiceRuntime:
    runtime = ServiceRuntime(
        settings,
        name=SERVICE,
        outbox=outbox_messages,
        inbox=inbox_messages,
        migrations_dir=MIGRATIONS,
    )
    ctx = build_context(runtime)
    runtime.context = ctx  # type: ignore[attr-defined]
    runtime.consumers = build_consumers(ctx)
    runtime.workers = {
        "sla-timer": Periodic(lambda _: report_breaches(ctx), settings.sla_poll_interval_s),
        "draft-cleanup": Periodic(lambda _: delete_stale_drafts(ctx), settings.draft_cleanup_interval_s),
    }
    return runtime


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    runtime = build_runtime(settings)
    app = create_service_app(
        title="Referrals",
        description="Referral intake for probation practitioners and the partner API through which providers accept, decline, assign, deliver and report.",
        runtime=runtime,
        routers=[practitioner.router, partner.router],
    )
    app.state.referrals = runtime.context  # type: ignore[attr-defined]
    return app
