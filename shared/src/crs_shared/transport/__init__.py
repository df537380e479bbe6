"""Two event transports behind one small interface: Kafka, and an embedded log for `make run`."""
from crs_shared.transport.base import IncomingMessage, OutgoingMessage, Publisher, Subscriber, Transport

__all__ = ["IncomingMessage", "OutgoingMessage", "Publisher", "Subscriber", "Transport", "build_transport"]


def build_transport(kind: str, *, kafka_bootstrap: str, topic_prefix: str, embedded_path: str) -> Transport:
    if kind == "kafka":
        from crs_shared.transport.kafka import KafkaTransport

        return KafkaTransport(kafka_bootstrap, topic_prefix=topic_prefix)
    if kind == "embedded":
        from crs_shared.transport.embedded import EmbeddedTransport

        return EmbeddedTransport(embedded_path, topic_prefix=topic_prefix)
    raise ValueError(f"unknown transport {kind!r}")
