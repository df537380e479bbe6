"""Catalogue events reach real Kafka through the outbox and are readable by any other consumer group."""
from __future__ import annotations

import uuid

import pytest

from crs_shared.events import parse_envelope, topics
from crs_shared.events.envelope import EventEnvelope
from tests.harness import Platform, eventually
from tests.providers.factory import ADMIN

pytestmark = [pytest.mark.integration]
PERSONAL = {"crn", "date_of_birth", "dob", "first_name", "last_name", "person_name", "nomis", "pnc"}


def keys(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys(v)}
    return set()


@pytest.mark.asyncio(loop_scope="session")
async def test_catalogue_events_arrive_on_kafka_for_another_consumer(
    platform: Platform, new_provider, new_intervention,
) -> None:
    client = platform.providers.client
    prime = await new_provider()
    sub = await new_provider()
    await client.patch(f"/v1/providers/{prime['id']}", json={"referral_mailbox": "new@prime.example.org"},
                       headers=ADMIN)
    published = await new_intervention(prime["id"], area_kind="region", area_code="D",
                                       subcontractor_provider_ids=[sub["id"]])
    iid = published["id"]
    await client.patch(f"/v1/interventions/{iid}", json={"title": "Wales housing v2"}, headers=ADMIN)
    await client.post(f"/v1/interventions/{iid}/close", headers=ADMIN)

    # Another service's view: a fresh consumer group on the catalogue topic.
    subscriber = platform.providers.runtime.transport.subscriber(f"probe-{uuid.uuid4().hex[:8]}", [topics.CATALOGUE])
    await subscriber.start()
    seen: list[EventEnvelope] = []
    wanted = {("provider.registered", prime["id"]), ("provider.caseworker_added", prime["id"]),
              ("provider.updated", prime["id"]), ("intervention.published", iid),
              ("intervention.updated", iid), ("intervention.closed", iid)}

    async def all_arrived() -> bool:
        for message in await subscriber.poll(500, 1.0):
            seen.append(parse_envelope(message.value))
        got = {(e.type, next(iter(e.subject.values()))) for e in seen}
        assert wanted <= got, wanted - got
        return True

    try:
        await eventually(all_arrived, timeout=30)
    finally:
        await subscriber.stop()

    mine = [e for e in seen if e.subject.get("intervention_id") == iid]
    assert [(e.type, e.data["version"]) for e in mine] == [
        ("intervention.published", 1), ("intervention.updated", 2), ("intervention.closed", 2)]
    snapshot = mine[0].data
    assert snapshot["covered_pcc_areas"] == ["dyfed-powys", "gwent", "north-wales", "south-wales"]
    assert snapshot["region_code"] == "D" and snapshot["area_kind"] == "region"
    assert snapshot["subcontractor_provider_ids"] == [sub["id"]]
    assert snapshot["contract_reference"] == published["contract_reference"]
    assert snapshot["service_categories"][0]["code"] == "accommodation"
    assert all(e.producer == "providers" for e in seen)
    assert not keys([e.data for e in seen]) & PERSONAL  # ids and codes, no data about people on probation
    updated = next(e for e in seen if e.type == "provider.updated" and e.subject["provider_id"] == prime["id"])
    assert updated.data["referral_mailbox"] == "new@prime.example.org"
