"""Every API route of every service refuses a caller without a valid token (401,
problem+json), before it looks at the request: only health checks and docs are open."""
from __future__ import annotations

import importlib
import re
import uuid
from contextlib import AsyncExitStack

import pytest

from tests.harness import SERVICES, start_platform

pytestmark = [pytest.mark.integration]
OPEN = {"/health", "/health/ready"}


def api_routes(app) -> list[tuple[str, str]]:
    """Every documented operation, with made-up path parameters."""
    routes = []
    for template, operations in app.openapi()["paths"].items():
        if template in OPEN:
            continue
        path = re.sub(r"\{[^}]+\}", lambda m: str(uuid.uuid4()) if "id" in m.group() else "x", template)
        routes.extend((method.upper(), path) for method in operations)
    return routes


@pytest.mark.asyncio(loop_scope="session")
async def test_no_route_answers_without_a_valid_token(tmp_path):
    async with AsyncExitStack() as stack:
        platform = await start_platform(stack, infra=None, transport="embedded", workdir=tmp_path)
        checked = 0
        for name in SERVICES:
            service = platform.services[name]
            for method, path in api_routes(service.app):
                for headers in ({}, {"Authorization": "Bearer not-a-token"}):
                    r = await service.client.request(method, path, headers=headers, json={})
                    assert r.status_code == 401, f"{name} {method} {path} answered {r.status_code} {r.text[:200]}"
                    assert r.headers["content-type"].startswith("application/problem+json")
                    checked += 1
        assert checked > 100  # every service's routes were found


def test_openapi_documents_bearer_auth_on_every_api_route():
    for name in SERVICES:
        app = importlib.import_module(f"{name}.app").create_app()
        spec = app.openapi()
        for path, operations in spec["paths"].items():
            if path in OPEN:
                continue
            for method, operation in operations.items():
                if path.startswith("/dashboard"):
                    continue  # browser pages: token in a cookie or query parameter
                assert operation.get("security"), f"{name} {method.upper()} {path} documents no auth"
