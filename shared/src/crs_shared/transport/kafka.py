"""Apache Kafka transport (aiokafka): idempotent producer with acks=all, manual commits."""
from __future__ import annotations

import asyncio
import logging

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from crs_shared.transport.base import IncomingMessage, OutgoingMessage, TopicPrefix

log = logging.getLogger(__name__)


class KafkaPublisher:
    def __init__(self, transport: KafkaTransport) -> None:
        self.transport = transport

    async def publish(self, messages: list[OutgoingMessage]) -> None:
        producer = await self.transport.producer()
        futures = [
            await producer.send(
                self.transport.topic(m.topic),
                value=m.value,
                key=m.key.encode(),
                headers=[(k, v.encode()) for k, v in m.headers.items()],
            )
            for m in messages
        ]
        await asyncio.gather(*futures)


class KafkaSubscriber:
    def __init__(self, transport: KafkaTransport, group_id: str, topics: list[str]) -> None:
        self.transport = transport
        self.group_id = group_id
        self.topics = topics
        self._consumer: AIOKafkaConsumer | None = None

    @property
    def consumer(self) -> AIOKafkaConsumer:
        if self._consumer is None:
            raise RuntimeError("subscriber not started")
        return self._consumer

    async def start(self) -> None:
        # A fresh client on every start: an aiokafka consumer cannot be started twice, and a
        # runner that crashed is restarted with this same subscriber.
        consumer = AIOKafkaConsumer(
            *[self.transport.topic(t) for t in self.topics],
            bootstrap_servers=self.transport.bootstrap,
            group_id=self.transport.topic(self.group_id),
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            isolation_level="read_committed",
            max_poll_records=500,
        )
        await consumer.start()
        self._consumer = consumer

    async def stop(self) -> None:
        consumer, self._consumer = self._consumer, None
        if consumer is not None:
            await consumer.stop()

    async def poll(self, max_records: int, timeout_s: float) -> list[IncomingMessage]:
        batches = await self.consumer.getmany(timeout_ms=int(timeout_s * 1000), max_records=max_records)
        out = []
        for tp, records in batches.items():
            topic = self.transport.unprefixed(tp.topic)
            for r in records:
                out.append(
                    IncomingMessage(
                        topic=topic,
                        partition=tp.partition,
                        offset=r.offset,
                        key=r.key.decode() if r.key else None,
                        value=r.value,
                        headers={k: v.decode() for k, v in (r.headers or [])},
                    )
                )
        return out

    async def commit(self, messages: list[IncomingMessage]) -> None:
        offsets: dict[TopicPartition, int] = {}
        for m in messages:
            tp = TopicPartition(self.transport.topic(m.topic), m.partition)
            offsets[tp] = max(offsets.get(tp, 0), m.offset + 1)
        if offsets:
            await self.consumer.commit(offsets)


class KafkaTransport(TopicPrefix):
    name = "kafka"

    def __init__(self, bootstrap: str, *, topic_prefix: str = "", partitions: int = 3) -> None:
        self.bootstrap = bootstrap
        self.prefix = topic_prefix
        self.partitions = partitions
        self._producer: AIOKafkaProducer | None = None
        self._lock = asyncio.Lock()

    async def start(self) -> None:
        pass

    async def producer(self) -> AIOKafkaProducer:
        async with self._lock:
            if self._producer is None:
                producer = AIOKafkaProducer(
                    bootstrap_servers=self.bootstrap,
                    acks="all",
                    enable_idempotence=True,
                    linger_ms=5,
                    request_timeout_ms=15000,
                    max_batch_size=1024 * 1024,
                )
                try:
                    await producer.start()
                except BaseException:
                    await asyncio.wait_for(producer.stop(), 10)
                    raise
                self._producer = producer
            return self._producer

    async def stop(self) -> None:
        if self._producer is not None:
            producer, self._producer = self._producer, None
            try:
                # stop() can hang while the broker is down (aiokafka #1101): bound it.
                await asyncio.wait_for(producer.stop(), 10)
            except (TimeoutError, Exception) as exc:
                log.warning("kafka producer did not stop cleanly: %r", exc)

    async def ensure_topics(self, topics: list[str]) -> None:
        admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap)
        await admin.start()
        try:
            existing = set(await admin.list_topics())
            wanted = [
                NewTopic(self.topic(t), num_partitions=self.partitions, replication_factor=1,
                         topic_configs={"min.insync.replicas": "1"})
                for t in topics
                if self.topic(t) not in existing
            ]
            if wanted:
                try:
                    await admin.create_topics(wanted)
                except TopicAlreadyExistsError:
                    pass
        finally:
            await admin.close()

    async def ping(self) -> None:
        admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap, request_timeout_ms=3000)
        try:
            await asyncio.wait_for(admin.start(), 5)
            await asyncio.wait_for(admin.describe_cluster(), 5)
        finally:
            await admin.close()

    def publisher(self) -> KafkaPublisher:
        return KafkaPublisher(self)

    def subscriber(self, group_id: str, topics: list[str]) -> KafkaSubscriber:
        return KafkaSubscriber(self, group_id, topics)
