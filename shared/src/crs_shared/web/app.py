"""Builds a service's FastAPI app the same way for all four services."""
from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from crs_shared.auth import TokenVerifier
from crs_shared.logs import correlation_id
from crs_shared.runtime import ServiceRuntime
from crs_shared.web.problems import install_problem_handlers

CORRELATION_HEADER = "X-Correlation-ID"


class CorrelationIdMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        value = request.headers.get(CORRELATION_HEADER) or str(uuid.uuid4())
        token = correlation_id.set(value[:100])
        try:
            response = await call_next(request)
        finally:
            correlation_id.reset(token)
        response.headers[CORRELATION_HEADER] = value[:100]
        return response


def health_router() -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/health")
    async def health() -> dict[str, str]:
        """Liveness: the process answers."""
        return {"status": "ok"}

    @router.get("/health/ready")
    async def ready(request: Request) -> JSONResponse:
        """Readiness: the database and the event transport answer."""
        runtime: ServiceRuntime = request.app.state.runtime
        checks = await runtime.readiness()
        ok = all(v == "ok" for v in checks.values())
        return JSONResponse({"status": "ok" if ok else "unavailable", "checks": checks}, status_code=200 if ok else 503)

    return router


def create_service_app(
    *,
    title: str,
    description: str,
    runtime: ServiceRuntime,
    routers: list[APIRouter],
    lifespan: Callable[[FastAPI], AbstractAsyncContextManager[None]] | None = None,
) -> FastAPI:
    async def default_lifespan(app: FastAPI) -> AsyncIterator[None]:
        await runtime.start()
        try:
            yield
        finally:
            await runtime.stop()

    from contextlib import asynccontextmanager

    app = FastAPI(
        title=title,
        description=description,
        version="1.0.0",
        lifespan=lifespan or asynccontextmanager(default_lifespan),
    )
    app.state.runtime = runtime
    app.state.token_verifier = TokenVerifier(runtime.settings.jwt_secret.get_secret_value())
    app.add_middleware(CorrelationIdMiddleware)
    install_problem_handlers(app)
    app.include_router(health_router())
    for router in routers:
        app.include_router(router)
    return app
