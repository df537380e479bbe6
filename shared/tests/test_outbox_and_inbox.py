"""The outbox relay and the consumer runner on SQLite with the embedded transport."""
import asyncio
import uuid

import pytest
from sqlalchemy import func, select

from crs_shared.events import build_event, topics
from crs_shared.events.contracts import ContractAtRisk
from crs_shared.inbox import Consumer, ConsumerRunner, RunnerSettings
from crs_shared.outbox import Outbox, OutboxRelay, RelaySettings
from crs_shared.transport.base import OutgoingMessage
from crs_shared.transport.embedded import EmbeddedTransport

from .conftest import inbox, outbox

pytestmark = pytest.mark.asyncio(loop_scope="session")


def at_risk(key: str = "c1"):
    data = ContractAtRisk(contract_id=uuid.uuid4(), contract_reference="R", contract_year=1, risk="over_cap",
                          projected_volume=12, region_code="A")
    return build_event(data, producer="contracts", subject={"contract_id": key})


class HangingPublisher:
    async def publish(self, messages):
        await asyncio.sleep(3600)


class RecordingPublisher:
    def __init__(self):
        self.messages = []

    async def publish(self, messages):
        self.messages.extend(messages)


async def unpublished(sessions) -> int:
    async with sessions() as s:
        return await s.scalar(select(func.count()).where(outbox.c.published_at.is_(None)))


async def test_events_roll_back_with_the_change(sessions):
    async with sessions() as s, s.begin():
        await Outbox(outbox).add(s, at_risk())
        await s.rollback()
    assert await unpublished(sessions) == 0


async def test_a_hung_send_leaves_rows_unpublished(sessions):
    async with sessions() as s, s.begin():
        await Outbox(outbox).add(s, at_risk(), at_risk())
    relay = OutboxRelay(outbox, sessions, HangingPublisher(), RelaySettings(send_timeout_s=0.2))
    with pytest.raises(TimeoutError):
        await relay.publish_batch()
    assert await unpublished(sessions) == 2
    good = RecordingPublisher()
    assert await OutboxRelay(outbox, sessions, good).publish_batch() == 2
    assert await unpublished(sessions) == 0
    assert [m.headers["event_type"] for m in good.messages] == ["contract.at_risk"] * 2


async def test_relay_publishes_in_write_order_with_the_aggregate_key(sessions):
    events = [at_risk("a"), at_risk("b"), at_risk("a")]
    async with sessions() as s, s.begin():
        await Outbox(outbox).add(s, *events)
    sink = RecordingPublisher()
    await OutboxRelay(outbox, sessions, sink, RelaySettings(batch_size=2)).publish_batch()
    await OutboxRelay(outbox, sessions, sink, RelaySettings(batch_size=2)).publish_batch()
    assert [m.headers["event_id"] for m in sink.messages] == [str(e.event_id) for e in events]
    assert [m.key for m in sink.messages] == ["a", "b", "a"]
    assert {m.topic for m in sink.messages} == {topics.CONTRACTS}


async def _runner(sessions, transport, consumer, attempts=3):
    return ConsumerRunner(consumer, inbox, sessions, transport.subscriber(consumer.name, [topics.CONTRACTS]),
                          transport.publisher(), RunnerSettings(max_attempts=attempts, backoff_s=0.001,
                                                                poll_timeout_s=0.05))


async def _drain(runner, expect_handled):
    stop = asyncio.Event()
    task = asyncio.create_task(runner.run(stop))
    for _ in range(200):
        if runner.handled + runner.duplicates + runner.dead_lettered >= expect_handled:
            break
        await asyncio.sleep(0.02)
    stop.set()
    await task


async def test_consumer_handles_each_event_once_even_when_redelivered(sessions, tmp_path):
    transport = EmbeddedTransport(str(tmp_path / "log.db"))
    await transport.start()
    seen = []
    consumer = Consumer("counter", [topics.CONTRACTS])

    @consumer.on("contract.at_risk")
    async def handle(session, envelope):
        seen.append(envelope.event_id)

    envelope = at_risk()
    message = OutgoingMessage(topics.CONTRACTS, envelope.key, envelope.model_dump_json().encode())
    await transport.publisher().publish([message, message])  # delivered twice
    runner = await _runner(sessions, transport, consumer)
    await _drain(runner, 2)
    assert seen == [envelope.event_id]
    assert runner.duplicates == 1
    # a restarted consumer resumes after the committed offset: nothing is handled again
    runner = await _runner(sessions, transport, consumer)
    await _drain(runner, 0)
    assert seen == [envelope.event_id]
    await transport.stop()


async def test_failing_handler_retries_then_dead_letters_and_moves_on(sessions, tmp_path):
    transport = EmbeddedTransport(str(tmp_path / "log.db"))
    await transport.start()
    calls = {"bad": 0, "good": 0}
    consumer = Consumer("fragile", [topics.CONTRACTS])
    poison, fine = at_risk("poison"), at_risk("fine")

    @consumer.on("contract.at_risk")
    async def handle(session, envelope):
        if envelope.key == "poison":
            calls["bad"] += 1
            raise RuntimeError("cannot handle this one")
        calls["good"] += 1

    await transport.publisher().publish(
        [OutgoingMessage(topics.CONTRACTS, e.key, e.model_dump_json().encode()) for e in (poison, fine)]
        + [OutgoingMessage(topics.CONTRACTS, "junk", b"{not json")]
    )
    runner = await _runner(sessions, transport, consumer, attempts=3)
    await _drain(runner, 3)
    # one try inside the shared transaction, then three on its own
    assert calls == {"bad": 1 + 3, "good": 1}
    assert runner.dead_lettered == 2
    dlq = transport.subscriber("dlq-reader", [topics.DEAD_LETTER])
    await dlq.start()
    letters = await dlq.poll(10, 0.1)
    assert [m.headers["dlq_consumer"] for m in letters] == ["fragile", "fragile"]
    errors = [m.headers["dlq_error"] for m in letters]
    assert any("invalid envelope" in e for e in errors) and any("cannot handle this one" in e for e in errors)
    # the failed attempt left no inbox row: a replay from the dead-letter topic would run
    async with sessions() as s:
        assert await s.scalar(select(func.count()).select_from(inbox)) == 1
    await transport.stop()


async def test_a_failure_in_a_shared_transaction_undoes_nothing_twice(sessions, tmp_path):
    """Messages of a poll are handled together; one failure rolls that transaction back and
    the rest are applied one by one: each effect exists exactly once."""
    transport = EmbeddedTransport(str(tmp_path / "log.db"))
    await transport.start()
    consumer = Consumer("copier", [topics.CONTRACTS])
    order = []

    @consumer.on("contract.at_risk")
    async def copy(session, envelope):
        if envelope.key == "poison":
            raise RuntimeError("no")
        order.append(envelope.key)
        await Outbox(outbox).add(session, at_risk(f"copy-of-{envelope.key}"))  # the effect: a row

    events = [at_risk(f"e{i}") for i in range(5)] + [at_risk("poison")] + [at_risk(f"e{i}") for i in range(5, 9)]
    duplicate = events[2]
    await transport.publisher().publish(
        [OutgoingMessage(topics.CONTRACTS, e.key, e.model_dump_json().encode()) for e in events + [duplicate]])
    runner = await _runner(sessions, transport, consumer, attempts=2)
    await _drain(runner, 11)
    assert runner.handled == 9 and runner.duplicates == 1 and runner.dead_lettered == 1
    async with sessions() as s:
        copies = (await s.execute(select(outbox.c.key).where(outbox.c.key.like("copy-of-%")))).scalars().all()
    assert sorted(copies) == sorted(f"copy-of-e{i}" for i in range(9))
    # applied in order: the ones before the failure were undone and applied again, in order
    assert order[-9:] == [f"e{i}" for i in range(9)]
    await transport.stop()
