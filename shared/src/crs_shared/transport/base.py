"""The transport interface. Both implementations are at-least-once: a message is
redelivered until its consumer commits past it."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class OutgoingMessage:
    topic: str
    key: str
    value: bytes
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class IncomingMessage:
    topic: str
    partition: int
    offset: int
    key: str | None
    value: bytes
    headers: dict[str, str] = field(default_factory=dict)


class TopicPrefix:
    """Names on the wire carry a prefix (per environment or test run); code uses bare names."""

    prefix: str = ""

    def topic(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def unprefixed(self, name: str) -> str:
        return name[len(self.prefix):] if self.prefix and name.startswith(self.prefix) else name


class Publisher(Protocol):
    async def publish(self, messages: list[OutgoingMessage]) -> None:
        """Return only when every message is durably accepted; raise otherwise."""


class Subscriber(Protocol):
    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def poll(self, max_records: int, timeout_s: float) -> list[IncomingMessage]: ...

    async def commit(self, messages: list[IncomingMessage]) -> None:
        """Mark these messages (and everything before them in their partition) processed."""


class Transport(Protocol):
    name: str

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def ensure_topics(self, topics: list[str]) -> None: ...

    async def ping(self) -> None: ...

    def publisher(self) -> Publisher: ...

    def subscriber(self, group_id: str, topics: list[str]) -> Subscriber: ...
