"""Webhooks: registration and access, Standard Webhooks signatures, retries, rotation, redelivery."""
from __future__ import annotations

import json
import time
import uuid

import pytest

from notifications import WebhookVerificationError, verify_webhook
from tests.harness import auth, eventually
from tests.notifications import factory as f
from tests.notifications.conftest import start_notifications
from tests.notifications.sinks import HttpSink

pytestmark = [pytest.mark.integration]


async def register(service, provider_id, url, event_types=("referral.sent",)):  # type: ignore[no-untyped-def]
    response = await service.client.post(
        "/v1/webhooks/endpoints", json={"url": url, "event_types": list(event_types)},
        headers=auth("provider", organisation_id=str(provider_id)))
    assert response.status_code == 201, response.text
    return response.json()


async def send_referral(service, provider_id, referral_id, ref="GH4567AC"):  # type: ignore[no-untyped-def]
    await f.publish(service, f.provider(provider_id, "hooks@org.example"),
                    f.submitted(referral_id, provider_id, reference=ref, practitioner_id="pp-9",
                                practitioner_email=None),
                    f.referral_event("sent", referral_id, ref, prime_provider_id=provider_id))


@pytest.mark.asyncio(loop_scope="session")
async def test_signed_webhook_verifies_and_tampering_or_staleness_is_rejected(notifications, stack) -> None:
    sink = await HttpSink().start()
    stack.push_async_callback(sink.stop)
    provider_id, referral_id = uuid.uuid4(), uuid.uuid4()
    endpoint = await register(notifications, provider_id, f"{sink.url}/hooks")
    assert endpoint["secret"].startswith("whsec_")
    await send_referral(notifications, provider_id, referral_id)
    await eventually(lambda: _count(sink, 1))
    request = sink.received[0]

    verify_webhook(endpoint["secret"], request.headers, request.body)  # authentic and fresh: no error
    with pytest.raises(WebhookVerificationError):
        verify_webhook(endpoint["secret"], request.headers, request.body.replace(b"GH4567AC", b"GH4567AD"))
    with pytest.raises(WebhookVerificationError):
        verify_webhook(endpoint["secret"], request.headers, request.body, now=time.time() + 301)
    with pytest.raises(WebhookVerificationError):
        verify_webhook("whsec_" + "A" * 32, request.headers, request.body)

    payload = json.loads(request.body)
    assert payload["type"] == "referral.sent"
    assert payload["data"]["reference"] == "GH4567AC"
    assert payload["data"]["referral_id"] == str(referral_id)
    assert payload["data"]["links"]["referral"].endswith(f"/v1/partner/referrals/{referral_id}")
    # ids, reference, type and a link; nothing about the person or the practitioner
    assert set(payload["data"]) <= {"event_id", "reference", "referral_id", "provider_id", "links", "contract_id"}
    assert "pp-9" not in request.body.decode()


async def _count(sink: HttpSink, n: int) -> bool:
    assert len(sink.ok()) == n
    return True


@pytest.mark.asyncio(loop_scope="session")
async def test_receiver_outage_is_retried_until_delivered_once(notifications, stack) -> None:
    calls = {"n": 0}

    def flaky(_request) -> int:  # type: ignore[no-untyped-def]
        calls["n"] += 1
        return 500 if calls["n"] <= 2 else 200

    sink = await HttpSink(respond=flaky).start()
    stack.push_async_callback(sink.stop)
    provider_id = uuid.uuid4()
    endpoint = await register(notifications, provider_id, sink.url)
    await send_referral(notifications, provider_id, uuid.uuid4())
    await eventually(lambda: _count(sink, 1))
    assert len({r.headers["webhook-id"] for r in sink.received}) == 1  # the same message id on every attempt

    admin = auth("admin")
    page = (await notifications.client.get(f"/v1/deliveries?endpoint_id={endpoint['id']}", headers=admin)).json()
    (delivery,) = page["items"]

    async def logged() -> bool:
        detail = (await notifications.client.get(f"/v1/deliveries/{delivery['id']}", headers=admin)).json()
        assert detail["status"] == "delivered"
        assert [(a["outcome"], a["response_code"]) for a in detail["attempt_log"]] == [
            ("failed", 500), ("failed", 500), ("delivered", 200)]
        return True

    await eventually(logged)


@pytest.mark.asyncio(loop_scope="session")
async def test_exhausted_retries_fail_and_flag_the_endpoint_then_manual_redeliver(notifications, stack) -> None:
    status = {"code": 503}
    sink = await HttpSink(respond=lambda r: status["code"]).start()
    stack.push_async_callback(sink.stop)
    provider_id = uuid.uuid4()
    owner = auth("provider", organisation_id=str(provider_id))
    endpoint = await register(notifications, provider_id, sink.url)
    await send_referral(notifications, provider_id, uuid.uuid4())

    async def failed() -> dict:
        items = (await notifications.client.get("/v1/deliveries?status=failed", headers=owner)).json()["items"]
        assert len(items) == 1 and items[0]["attempts"] == 4  # 1 + 3 retries of the test schedule
        return items[0]

    delivery = await eventually(failed)
    flagged = (await notifications.client.get(f"/v1/webhooks/endpoints/{endpoint['id']}", headers=owner)).json()
    assert flagged["flagged"] is True

    stranger = auth("provider", organisation_id=str(uuid.uuid4()))
    assert (await notifications.client.post(f"/v1/deliveries/{delivery['id']}/redeliver",
                                            headers=stranger)).status_code == 404
    status["code"] = 204
    response = await notifications.client.post(f"/v1/deliveries/{delivery['id']}/redeliver", headers=owner)
    assert response.status_code == 202
    await eventually(lambda: _count(sink, 1))

    async def recovered() -> bool:
        got = (await notifications.client.get(f"/v1/webhooks/endpoints/{endpoint['id']}", headers=owner)).json()
        assert got["flagged"] is False
        detail = (await notifications.client.get(f"/v1/deliveries/{delivery['id']}", headers=owner)).json()
        assert detail["status"] == "delivered" and len(detail["attempt_log"]) == 5
        return True

    await eventually(recovered)


@pytest.mark.asyncio(loop_scope="session")
async def test_secret_rotation_signs_with_both_secrets_during_the_overlap(notifications, stack) -> None:
    sink = await HttpSink().start()
    stack.push_async_callback(sink.stop)
    provider_id = uuid.uuid4()
    owner = auth("provider", organisation_id=str(provider_id))
    endpoint = await register(notifications, provider_id, sink.url)
    rotated = await notifications.client.post(f"/v1/webhooks/endpoints/{endpoint['id']}/rotate-secret",
                                              json={"overlap_seconds": 3600}, headers=owner)
    assert rotated.status_code == 200
    new_secret = rotated.json()["secret"]
    await send_referral(notifications, provider_id, uuid.uuid4())
    await eventually(lambda: _count(sink, 1))
    request = sink.received[0]
    assert len(request.headers["webhook-signature"].split(" ")) == 2
    verify_webhook(endpoint["secret"], request.headers, request.body)
    verify_webhook(new_secret, request.headers, request.body)

    # Rotating again with no overlap: only the newest secret signs.
    latest = (await notifications.client.post(f"/v1/webhooks/endpoints/{endpoint['id']}/rotate-secret",
                                              json={"overlap_seconds": 0}, headers=owner)).json()["secret"]
    await send_referral(notifications, provider_id, uuid.uuid4(), ref="JK5678AC")
    await eventually(lambda: _count(sink, 2))
    second = sink.received[-1]
    verify_webhook(latest, second.headers, second.body)
    with pytest.raises(WebhookVerificationError):
        verify_webhook(new_secret, second.headers, second.body)


@pytest.mark.asyncio(loop_scope="session")
async def test_endpoints_are_scoped_to_their_organisation_and_validated(notifications) -> None:
    provider_id = uuid.uuid4()
    owner = auth("provider", organisation_id=str(provider_id))
    stranger = auth("provider", organisation_id=str(uuid.uuid4()))
    endpoint = await register(notifications, provider_id, "http://127.0.0.1:9/hooks",
                              ["referral.sent", "referral.withdrawn"])
    path = f"/v1/webhooks/endpoints/{endpoint['id']}"

    assert (await notifications.client.get(path, headers=stranger)).status_code == 404
    assert (await notifications.client.patch(path, json={"active": False}, headers=stranger)).status_code == 404
    assert (await notifications.client.delete(path, headers=stranger)).status_code == 404
    assert (await notifications.client.get("/v1/webhooks/endpoints", headers=stranger)).json()["items"] == []
    assert (await notifications.client.get(path, headers=auth("practitioner"))).status_code == 403
    assert (await notifications.client.get(path)).status_code == 401
    admin_view = (await notifications.client.get(f"/v1/webhooks/endpoints?provider_id={provider_id}",
                                                 headers=auth("admin"))).json()
    assert [e["id"] for e in admin_view["items"]] == [endpoint["id"]]
    assert "secret" not in admin_view["items"][0]

    bad = await notifications.client.post("/v1/webhooks/endpoints", headers=owner,
                                          json={"url": "ftp://x", "event_types": ["referral.sent", "nope"]})
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"url", "event_types.1"}

    patched = await notifications.client.patch(path, json={"event_types": ["referral.amended"]}, headers=owner)
    assert patched.status_code == 200 and patched.json()["event_types"] == ["referral.amended"]
    assert (await notifications.client.delete(path, headers=owner)).status_code == 204
    assert (await notifications.client.get(path, headers=owner)).status_code == 404


@pytest.mark.asyncio(loop_scope="session")
async def test_unsubscribed_event_types_are_not_sent(notifications, stack) -> None:
    sink = await HttpSink().start()
    stack.push_async_callback(sink.stop)
    provider_id, referral_id = uuid.uuid4(), uuid.uuid4()
    await register(notifications, provider_id, sink.url, ["referral.withdrawn"])
    await send_referral(notifications, provider_id, referral_id, ref="LM6789AC")
    await f.publish(notifications, f.referral_event("withdrawn", referral_id, "LM6789AC", reason_code="X",
                                                    previous_state="sent", delivery_started=False))
    await eventually(lambda: _count(sink, 1))
    assert json.loads(sink.received[0].body)["type"] == "referral.withdrawn"
