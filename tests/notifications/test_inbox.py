"""Inbox and delivery-log access: your own, your organisation's or team's; strangers get 404."""
from __future__ import annotations

import uuid

import pytest

from tests.harness import auth, eventually
from tests.notifications import factory as f

pytestmark = [pytest.mark.integration]


async def _seed(service, provider_id, practitioner: str, n: int) -> list[str]:  # type: ignore[no-untyped-def]
    events = [f.provider(provider_id, f"{provider_id}@org.example")]
    refs = []
    for i in range(n):
        rid, ref = uuid.uuid4(), f"IN{i:04d}{practitioner[-2:]}"
        refs.append(ref)
        events += [f.submitted(rid, provider_id, reference=ref, practitioner_id=practitioner,
                               practitioner_email=None),
                   f.referral_event("sent", rid, ref, prime_provider_id=provider_id)]
    await f.publish(service, *events)
    return refs


@pytest.mark.asyncio(loop_scope="session")
async def test_inbox_pages_filters_unread_and_hides_other_peoples_notifications(notifications) -> None:
    provider_a, provider_b = uuid.uuid4(), uuid.uuid4()
    await _seed(notifications, provider_a, "pp-aa", 5)
    await _seed(notifications, provider_b, "pp-bb", 1)
    alice, bob = auth("practitioner", subject="pp-aa"), auth("practitioner", subject="pp-bb")
    org_a = auth("provider", organisation_id=str(provider_a))
    org_b = auth("provider", organisation_id=str(provider_b))

    async def arrived() -> bool:
        assert len((await notifications.client.get("/v1/inbox", headers=alice)).json()["items"]) == 5
        assert len((await notifications.client.get("/v1/inbox", headers=org_a)).json()["items"]) == 5
        assert len((await notifications.client.get("/v1/inbox", headers=bob)).json()["items"]) == 1
        return True

    await eventually(arrived)
    first = (await notifications.client.get("/v1/inbox?limit=2", headers=alice)).json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    second = (await notifications.client.get(f"/v1/inbox?limit=2&cursor={first['next_cursor']}", headers=alice)).json()
    third = (await notifications.client.get(f"/v1/inbox?limit=2&cursor={second['next_cursor']}", headers=alice)).json()
    ids = [i["id"] for page in (first, second, third) for i in page["items"]]
    assert len(ids) == len(set(ids)) == 5 and third["next_cursor"] is None

    mine = first["items"][0]["id"]
    for stranger in (bob, org_b, org_a, auth("commercial"), auth("admin")):
        response = await notifications.client.post(f"/v1/inbox/{mine}/read", headers=stranger)
        assert response.status_code == 404
    read = await notifications.client.post(f"/v1/inbox/{mine}/read", headers=alice)
    assert read.status_code == 200 and read.json()["read"] is True
    unread = (await notifications.client.get("/v1/inbox?unread=true", headers=alice)).json()["items"]
    assert len(unread) == 4 and mine not in {i["id"] for i in unread}

    org_item = (await notifications.client.get("/v1/inbox", headers=org_a)).json()["items"][0]["id"]
    assert (await notifications.client.post(f"/v1/inbox/{org_item}/read", headers=org_b)).status_code == 404
    assert (await notifications.client.post(f"/v1/inbox/{org_item}/read", headers=org_a)).status_code == 200

    assert (await notifications.client.get("/v1/inbox")).status_code == 401
    bad = await notifications.client.get("/v1/inbox?cursor=abc", headers=alice)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "cursor"


@pytest.mark.asyncio(loop_scope="session")
async def test_delivery_log_is_for_admins_and_the_owning_provider(notifications) -> None:
    provider_a, provider_b = uuid.uuid4(), uuid.uuid4()
    await _seed(notifications, provider_a, "pp-cc", 1)
    org_a = auth("provider", organisation_id=str(provider_a))
    org_b = auth("provider", organisation_id=str(provider_b))

    async def logged() -> list:
        items = (await notifications.client.get("/v1/deliveries", headers=org_a)).json()["items"]
        assert len(items) == 1 and items[0]["status"] == "delivered"
        return items

    (delivery,) = await eventually(logged)
    assert (await notifications.client.get("/v1/deliveries", headers=org_b)).json()["items"] == []
    assert (await notifications.client.get(f"/v1/deliveries/{delivery['id']}", headers=org_b)).status_code == 404
    assert (await notifications.client.get("/v1/deliveries", headers=auth("practitioner"))).status_code == 403
    assert (await notifications.client.get(f"/v1/deliveries/{delivery['id']}",
                                           headers=auth("admin"))).status_code == 200
    detail = (await notifications.client.get(f"/v1/deliveries/{delivery['id']}", headers=org_a)).json()
    # (the provider's mailbox may arrive on its topic after the referral: an early attempt then waits for it)
    assert detail["attempt_log"][-1]["outcome"] == "delivered" and detail["attempt_log"][-1]["response_code"] == 250
