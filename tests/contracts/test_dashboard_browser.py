"""The dashboard in real headless chromium: it renders, and a filter changes the rows."""
from __future__ import annotations

import asyncio
import shutil
import socket

import pytest
import pytest_asyncio
import uvicorn

from tests.contracts.support import award_body, publish, submitted
from tests.harness import auth, eventually, start_platform, token

pytestmark = [pytest.mark.integration, pytest.mark.browser]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest_asyncio.fixture(loop_scope="session")
async def served(infra, stack):
    """The contracts service with three contracts, served on a real loopback port."""
    platform = await start_platform(stack, infra=infra, transport="kafka", services=("contracts",))
    service = platform.contracts
    for reference, kind in (("DASH-ACC", "ACC"), ("DASH-ETE", "ETE"), ("DASH-WOS", "WOS")):
        body = award_body(reference=reference, contract_type=kind, cap=4)
        assert (await service.client.post("/v1/contracts", json=body, headers=auth("admin"))).status_code == 201
    await publish(service, *(submitted("DASH-ETE") for _ in range(3)))

    async def counted():
        s = (await service.client.get("/v1/commercial/contracts", headers=auth("commercial"))).json()
        return next(c for c in s["items"] if c["reference"] == "DASH-ETE")["volume"] == 3
    await eventually(counted)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(service.app, host="127.0.0.1", port=port, lifespan="off",
                                           log_level="warning"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await task


@pytest.mark.asyncio(loop_scope="session")
async def test_dashboard_renders_and_filters_in_chromium(served) -> None:
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        pytest.skip("playwright is not installed")
    if not shutil.which("chromium") and not __import__("os").path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (scripts/setup.sh test installs it)")
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page()
            await page.goto(f"{served}/dashboard?token={token('commercial')}")
            rows = page.locator("#contracts tbody tr")
            assert await rows.count() == 3
            assert await page.locator("h1").inner_text() == "Contracts"

            await page.select_option("#contract_type", "ETE")
            await page.click("#apply-filters")
            await page.wait_for_url("**/dashboard?*contract_type=ETE*")
            assert await rows.count() == 1
            row = rows.first
            assert await row.get_attribute("data-reference") == "DASH-ETE"
            assert "75%" in await row.inner_text()

            await row.locator("a").click()
            await page.wait_for_selector("svg#chart polyline")
            assert "3 of a cap of 4" in await page.locator("#volume").inner_text()
            assert await page.locator("svg#chart line.cap").count() == 1
        finally:
            await browser.close()


@pytest.mark.asyncio(loop_scope="session")
async def test_dashboard_refuses_other_roles_and_no_token(served) -> None:
    import httpx
    async with httpx.AsyncClient(base_url=served) as client:
        assert (await client.get("/dashboard")).status_code == 401
        assert (await client.get("/dashboard", params={"token": token("provider", organisation_id="x")})).status_code == 403
        assert (await client.get("/dashboard", params={"token": token("admin")})).status_code == 200
