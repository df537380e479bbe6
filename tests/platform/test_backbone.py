"""The event backbone on real PostgreSQL and real Kafka: outbox relays, idempotent
consumers, dead letters."""
from __future__ import annotations

import asyncio
import uuid
from collections import defaultdict

import pytest
import pytest_asyncio
from sqlalchemy import func, select

from crs_shared import db
from crs_shared.events import build_event, parse_envelope, topics
from crs_shared.events.contracts import ContractAtRisk
from crs_shared.inbox import Consumer, ConsumerRunner, RunnerSettings, inbox_table
from crs_shared.outbox import Outbox, OutboxRelay, RelaySettings, outbox_table
from crs_shared.transport.base import OutgoingMessage
from crs_shared.transport.kafka import KafkaTransport
from tests.harness import create_database, eventually

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

metadata = db.new_metadata()
outbox = outbox_table(metadata)
inbox = inbox_table(metadata)


@pytest_asyncio.fixture(loop_scope="session")
async def sessions(infra):
    engine = db.create_engine(await create_database(infra, "backbone"), pool_size=20)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    yield db.session_factory(engine)
    await engine.dispose()


@pytest_asyncio.fixture(loop_scope="session")
async def kafka(infra):
    transport = KafkaTransport(infra.kafka_bootstrap, topic_prefix=f"t{uuid.uuid4().hex[:8]}.")
    await transport.ensure_topics(list(topics.ALL))
    yield transport
    await transport.stop()


def numbered(key: str, n: int):
    data = ContractAtRisk(contract_id=uuid.uuid4(), contract_reference=f"seq-{n}", contract_year=1,
                          risk="over_cap", projected_volume=n, region_code="A")
    return build_event(data, producer="backbone-test", subject={"contract_id": key})


async def read_all(transport, group: str, topic: str, expected: int, timeout: float = 60.0):
    subscriber = transport.subscriber(group, [topic])
    await subscriber.start()
    received = []
    try:
        async def enough():
            received.extend(await subscriber.poll(1000, 0.5))
            return len(received) >= expected
        await eventually(enough, timeout=timeout, interval=0)
        received.extend(await subscriber.poll(1000, 1.0))  # anything extra would show up here
    finally:
        await subscriber.stop()
    return received


async def test_two_relays_publish_every_event_once_in_order_per_key(sessions, kafka):
    keys = [f"contract-{i}" for i in range(40)]
    written = []
    for round_ in range(25):
        async with sessions() as session, session.begin():
            batch = [numbered(key, round_) for key in keys]
            await Outbox(outbox).add(session, *batch)
            written.extend(batch)
    stop = asyncio.Event()
    relays = [OutboxRelay(outbox, sessions, kafka.publisher(), RelaySettings(batch_size=100)) for _ in range(2)]
    tasks = [asyncio.create_task(r.run(stop)) for r in relays]

    async def drained():
        async with sessions() as s:
            return await s.scalar(select(func.count()).where(outbox.c.published_at.is_(None))) == 0

    await eventually(drained, timeout=60)
    stop.set()
    await asyncio.gather(*tasks)
    assert sum(r.published_total for r in relays) == len(written) == 1000

    received = await read_all(kafka, "reader-order", topics.CONTRACTS, len(written))
    envelopes = [parse_envelope(m.value) for m in received]
    assert len(envelopes) == len(written)
    assert {e.event_id for e in envelopes} == {e.event_id for e in written}
    by_key = defaultdict(list)
    for message, envelope in zip(received, envelopes, strict=True):
        assert message.key == envelope.key
        by_key[envelope.key].append(envelope.payload().projected_volume)
    for key in keys:
        assert by_key[key] == list(range(25)), f"{key} out of order"


class GatedPublisher:
    """Holds its batch (and so the relay's row locks) until released."""

    def __init__(self, inner):
        self.inner, self.entered, self.release = inner, asyncio.Event(), asyncio.Event()

    async def publish(self, messages):
        self.entered.set()
        await self.release.wait()
        await self.inner.publish(messages)


async def test_second_relay_skips_rows_locked_by_the_first_and_their_keys(sessions, kafka):
    held_keys, free_keys = [f"held-{i}" for i in range(10)], [f"free-{i}" for i in range(10)]
    for keys in (held_keys, free_keys):
        for round_ in range(5):
            async with sessions() as session, session.begin():
                await Outbox(outbox).add(session, *[numbered(k, round_) for k in keys])
    gate = GatedPublisher(kafka.publisher())
    first = OutboxRelay(outbox, sessions, gate, RelaySettings(batch_size=30))  # locks held-* rounds 0-2
    second = OutboxRelay(outbox, sessions, kafka.publisher(), RelaySettings(batch_size=100))
    first_batch = asyncio.create_task(first.publish_batch())
    await gate.entered.wait()
    # held-* rounds 3-4 are free rows, but their keys have earlier rows in flight: left alone
    assert await second.publish_batch() == 50
    gate.release.set()
    assert await first_batch == 30
    assert await second.publish_batch() == 20
    received = await read_all(kafka, "reader-skip", topics.CONTRACTS, 100)
    by_key = defaultdict(list)
    for message in received:
        by_key[message.key].append(parse_envelope(message.value).payload().projected_volume)
    assert {k: v for k, v in by_key.items()} == {k: list(range(5)) for k in held_keys + free_keys}


async def test_consumers_racing_on_redelivered_events_apply_each_once(sessions, kafka):
    events = [numbered(f"k{i % 7}", i) for i in range(300)]
    messages = [OutgoingMessage(topics.CONTRACTS, e.key, e.model_dump_json().encode()) for e in events]
    # every event twice, as a producer retry or a replay would deliver it
    await kafka.publisher().publish(messages + messages[::-1])
    applied: list[uuid.UUID] = []
    consumer = Consumer("racer", [topics.CONTRACTS])

    @consumer.on("contract.at_risk")
    async def apply(session, envelope):
        applied.append(envelope.event_id)

    stop = asyncio.Event()
    runners = [
        ConsumerRunner(consumer, inbox, sessions, kafka.subscriber(consumer.name, [topics.CONTRACTS]),
                       kafka.publisher(), RunnerSettings(poll_timeout_s=0.2))
        for _ in range(2)
    ]
    tasks = [asyncio.create_task(r.run(stop)) for r in runners]
    await eventually(lambda: _true(sum(r.handled + r.duplicates for r in runners) >= 600), timeout=90)
    stop.set()
    await asyncio.gather(*tasks)
    assert sorted(applied) == sorted(e.event_id for e in events)
    assert sum(r.handled for r in runners) == 300
    assert sum(r.duplicates for r in runners) >= 300
    async with sessions() as s:
        rows = await s.scalar(select(func.count()).select_from(inbox).where(inbox.c.consumer == "racer"))
    assert rows == 300


async def _true(value: bool) -> bool:
    return value


async def test_poison_message_goes_to_the_dead_letter_topic_and_the_consumer_moves_on(sessions, kafka):
    poison, fine = numbered("poison", 1), numbered("fine", 2)
    await kafka.publisher().publish(
        [OutgoingMessage(topics.CONTRACTS, e.key, e.model_dump_json().encode()) for e in (poison, fine)]
    )
    handled = []
    consumer = Consumer("picky", [topics.CONTRACTS])

    @consumer.on("contract.at_risk")
    async def apply(session, envelope):
        if envelope.key == "poison":
            raise RuntimeError("refuses poison")
        handled.append(envelope.event_id)

    stop = asyncio.Event()
    runner = ConsumerRunner(consumer, inbox, sessions, kafka.subscriber("picky", [topics.CONTRACTS]),
                            kafka.publisher(), RunnerSettings(max_attempts=3, backoff_s=0.01, poll_timeout_s=0.2))
    task = asyncio.create_task(runner.run(stop))
    await eventually(lambda: _true(fine.event_id in handled and runner.dead_lettered == 1), timeout=60)
    stop.set()
    await task
    letters = await read_all(kafka, "dlq-reader", topics.DEAD_LETTER, 1)
    mine = [m for m in letters if m.headers.get("dlq_consumer") == "picky"]
    assert len(mine) == 1
    assert parse_envelope(mine[0].value).event_id == poison.event_id
    assert "refuses poison" in mine[0].headers["dlq_error"]


async def test_unreachable_broker_leaves_the_outbox_rows_for_later(sessions):
    async with sessions() as session, session.begin():
        event = numbered("unsent", 1)
        await Outbox(outbox).add(session, event)
    dead = KafkaTransport("127.0.0.1:9", topic_prefix="nowhere.")
    relay = OutboxRelay(outbox, sessions, dead.publisher(), RelaySettings(send_timeout_s=2))
    with pytest.raises(Exception):
        await relay.publish_batch()
    await dead.stop()
    async with sessions() as s:
        row = (await s.execute(select(outbox.c.published_at).where(outbox.c.event_id == str(event.event_id)))).one()
    assert row.published_at is None


class FlakyCommits:
    """A real Kafka subscriber whose first offset commit fails, as after a rebalance."""

    def __init__(self, inner):
        self.inner, self.failed = inner, False

    async def start(self):
        await self.inner.start()

    async def stop(self):
        await self.inner.stop()

    async def poll(self, max_records, timeout_s):
        return await self.inner.poll(max_records, timeout_s)

    async def commit(self, messages):
        if not self.failed:
            self.failed = True
            raise RuntimeError("partition not assigned")
        await self.inner.commit(messages)


async def test_a_crashed_consumer_restarts_and_a_failed_commit_loses_nothing(sessions, kafka):
    events = [numbered("k", i) for i in range(20)]
    await kafka.publisher().publish(
        [OutgoingMessage(topics.CONTRACTS, e.key, e.model_dump_json().encode()) for e in events])
    applied = []
    consumer = Consumer("phoenix", [topics.CONTRACTS])

    @consumer.on("contract.at_risk")
    async def apply(session, envelope):
        applied.append(envelope.event_id)

    subscriber = FlakyCommits(kafka.subscriber("phoenix", [topics.CONTRACTS]))
    runner = ConsumerRunner(consumer, inbox, sessions, subscriber, kafka.publisher(),
                            RunnerSettings(poll_timeout_s=0.2))
    # The same subscriber started, stopped and started again, as the runtime's supervisor does.
    await subscriber.start()
    await subscriber.stop()
    stop = asyncio.Event()
    task = asyncio.create_task(runner.run(stop))
    await eventually(lambda: _true(len(applied) == 20), timeout=60)
    stop.set()
    await task
    assert subscriber.failed
    # A new consumer in the group starts after the committed offsets or replays into the inbox:
    # either way nothing is applied twice.
    again = ConsumerRunner(consumer, inbox, sessions, kafka.subscriber("phoenix", [topics.CONTRACTS]),
                           kafka.publisher(), RunnerSettings(poll_timeout_s=0.2))
    stop = asyncio.Event()
    task = asyncio.create_task(again.run(stop))
    await asyncio.sleep(2)
    stop.set()
    await task
    assert sorted(applied) == sorted(e.event_id for e in events)
