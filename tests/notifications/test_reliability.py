"""Exactly one notification per (event, recipient, channel); delivery survives an SMTP outage."""
from __future__ import annotations

import asyncio
import uuid

import pytest
from sqlalchemy import func, select

from crs_shared.inbox import ConsumerRunner
from crs_shared.outbox import Outbox
from notifications.adapters.tables import deliveries, notifications as notifications_table, outbox_messages
from notifications.consumers import build_consumers
from tests.harness import auth, eventually
from tests.notifications import factory as f
from tests.notifications.conftest import start_notifications

pytestmark = [pytest.mark.integration]


async def count(service, table, **where) -> int:  # type: ignore[no-untyped-def]
    async with service.runtime.sessions() as session:
        query = select(func.count()).select_from(table)
        for column, value in where.items():
            query = query.where(table.c[column] == value)
        return (await session.execute(query)).scalar_one()


@pytest.mark.asyncio(loop_scope="session")
async def test_smtp_outage_is_caught_up_without_duplicates(stack, infra, smtp) -> None:
    service = await start_notifications(stack, infra, smtp, retry_schedule_s=[0.2] * 100)
    smtp.stop()  # the mail server is down
    provider_id, mailbox = uuid.uuid4(), "outage@org.example"
    referrals = [(uuid.uuid4(), f"OU{i:04d}AC") for i in range(5)]
    await f.publish(service, f.provider(provider_id, mailbox), *[
        e for rid, ref in referrals for e in (
            f.submitted(rid, provider_id, reference=ref, practitioner_id="pp-o", practitioner_email=None),
            f.referral_event("sent", rid, ref, prime_provider_id=provider_id))])

    async def retrying() -> bool:
        items = (await service.client.get("/v1/deliveries?channel=email&status=pending",
                                          headers=auth("admin"))).json()["items"]
        assert len(items) == 5 and all(i["attempts"] >= 2 and i["last_error"] for i in items)
        return True

    await eventually(retrying)
    smtp.start()  # back up, on the same port

    async def caught_up() -> bool:
        assert sorted(str(m["Subject"]).strip() for m in smtp.to(mailbox)) == sorted(
            f"New referral {ref}" for _, ref in referrals)
        return True

    await eventually(caught_up)
    await asyncio.sleep(0.5)  # let any stray retry run: it must not send a second copy
    assert len(smtp.to(mailbox)) == 5
    assert await count(service, deliveries, status="delivered", channel="email") == 5


@pytest.mark.asyncio(loop_scope="session")
async def test_a_redelivered_event_notifies_once(notifications, smtp) -> None:
    provider_id, referral_id, mailbox = uuid.uuid4(), uuid.uuid4(), "twice@org.example"
    sent = f.referral_event("sent", referral_id, "TW0001AC", prime_provider_id=provider_id)
    await f.publish(notifications, f.provider(provider_id, mailbox),
                    f.submitted(referral_id, provider_id, reference="TW0001AC", practitioner_id="pp-t",
                                practitioner_email="pp-t@probation.example"), sent)
    await f.publish(notifications, sent)  # the same envelope again: Kafka redelivery

    async def handled_twice() -> bool:
        runner = notifications.runtime.runners[0]
        assert runner.duplicates >= 1
        return True

    await eventually(handled_twice)
    await eventually(lambda: _emails(smtp, mailbox, 1))
    assert await count(notifications, notifications_table, event_id=str(sent.event_id)) == 2  # provider + practitioner
    assert await count(notifications, deliveries, event_id=str(sent.event_id)) == 2  # one email each


async def _emails(smtp, address: str, n: int) -> bool:  # type: ignore[no-untyped-def]
    assert len(smtp.to(address)) == n
    return True


@pytest.mark.asyncio(loop_scope="session")
async def test_two_racing_consumers_record_each_notification_once(notifications, smtp, stack) -> None:
    # A second consumer group (as after a consumer rename or an offset reset) handles every event again,
    # concurrently with the first; only the unique keys stand between them and duplicates.
    runtime = notifications.runtime
    (shadow,) = build_consumers(notifications.settings, Outbox(outbox_messages), name="notifications-shadow")
    runner = ConsumerRunner(shadow, runtime.inbox_table, runtime.sessions,
                            runtime.transport.subscriber(shadow.name, shadow.topics), runtime.transport.publisher())
    stop = asyncio.Event()
    task = asyncio.create_task(runner.run(stop))

    async def stop_shadow() -> None:
        stop.set()
        await task

    stack.push_async_callback(stop_shadow)
    provider_id, mailbox = uuid.uuid4(), "race@org.example"
    events = [f.provider(provider_id, mailbox)]
    for i in range(10):
        rid, ref = uuid.uuid4(), f"RA{i:04d}AC"
        events += [f.submitted(rid, provider_id, reference=ref, practitioner_id="pp-r", practitioner_email=None),
                   f.referral_event("sent", rid, ref, prime_provider_id=provider_id),
                   f.referral_event("amended", rid, ref, changed_fields=["needs"])]
    await f.publish(notifications, *events)

    async def both_handled() -> bool:
        assert runner.handled >= len(events) and runtime.runners[0].handled >= len(events)
        return True

    await eventually(both_handled)
    await eventually(lambda: _emails(smtp, mailbox, 20))
    await asyncio.sleep(0.3)
    assert len(smtp.to(mailbox)) == 20
    assert await count(notifications, notifications_table, owner_id=str(provider_id)) == 20
    assert await count(notifications, deliveries, recipient=f"provider:{provider_id}") == 20
