"""The same catalogue on SQLite and the embedded transport (how `make run` starts it)."""
from __future__ import annotations

from contextlib import AsyncExitStack

import pytest

from tests.harness import auth, start_platform
from tests.providers.factory import ADMIN, intervention_body, provider_body

pytestmark = [pytest.mark.integration]


@pytest.mark.asyncio(loop_scope="session")
async def test_publish_revise_and_search_on_sqlite(stack: AsyncExitStack) -> None:
    platform = await start_platform(stack, infra=None, transport="embedded", services=("providers",))
    client = platform.providers.client
    assert len((await client.get("/v1/pcc-areas", headers=ADMIN)).json()) == 42
    prime = (await client.post("/v1/providers", json=provider_body(), headers=ADMIN)).json()["id"]
    for title, kind, code in (("B region", "region", "K"), ("A kent", "pcc_area", "kent"), ("C essex", "pcc_area", "essex")):
        r = await client.post("/v1/interventions", headers=ADMIN,
                              json=intervention_body(prime, title=title, area_kind=kind, area_code=code))
        assert r.status_code == 201, r.text
    pp = auth("practitioner", region_code="K")
    page = (await client.get("/v1/interventions", params={"pcc_area": "kent", "limit": 1}, headers=pp)).json()
    assert [i["title"] for i in page["items"]] == ["A kent"]
    rest = (await client.get("/v1/interventions", params={"pcc_area": "kent", "cursor": page["next_cursor"]},
                             headers=pp)).json()
    assert [i["title"] for i in rest["items"]] == ["B region"] and rest["next_cursor"] is None
    iid = page["items"][0]["id"]
    r = await client.patch(f"/v1/interventions/{iid}", json={"title": "A kent v2"}, headers=ADMIN)
    assert r.json()["version"] == 2
    assert (await client.get(f"/v1/interventions/{iid}/versions/1", headers=pp)).json()["title"] == "A kent"
