"""The one envelope every event travels in, and the registry of event types.

An event is validated when it is built (producer side) and again when it is read
(consumer side): an event whose `data` does not match its registered contract is
rejected, never half-understood.
"""
from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from crs_shared.logs import correlation_id as current_correlation_id


class EventData(BaseModel):
    """Base of every event payload: frozen, strict about unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_type: ClassVar[str]
    event_version: ClassVar[int] = 1
    topic: ClassVar[str]
    summary: ClassVar[str] = ""


class EventEnvelope(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    event_id: uuid.UUID = Field(default_factory=uuid.uuid4)
    type: str
    version: int = 1
    occurred_at: datetime
    producer: str
    correlation_id: str | None = None
    subject: dict[str, str] = Field(description="ids of the aggregates this event is about")
    data: dict[str, Any]

    @property
    def key(self) -> str:
        """Partition key: the first subject id, so one aggregate's events stay in order."""
        return next(iter(self.subject.values()))

    def payload(self) -> EventData:
        return registry.parse_data(self.type, self.version, self.data)


class UnknownEventType(LookupError):
    pass


class EventRegistry:
    def __init__(self) -> None:
        self._types: dict[tuple[str, int], type[EventData]] = {}

    def register(self, cls: type[EventData]) -> type[EventData]:
        key = (cls.event_type, cls.event_version)
        if key in self._types and self._types[key] is not cls:
            raise ValueError(f"event type {key} registered twice")
        self._types[key] = cls
        return cls

    def get(self, event_type: str, version: int) -> type[EventData]:
        try:
            return self._types[(event_type, version)]
        except KeyError:
            raise UnknownEventType(f"{event_type} v{version}") from None

    def parse_data(self, event_type: str, version: int, data: dict[str, Any]) -> EventData:
        return self.get(event_type, version).model_validate(data)

    def all(self) -> list[type[EventData]]:
        return sorted(self._types.values(), key=lambda c: (c.topic, c.event_type, c.event_version))


registry = EventRegistry()


def event(cls: type[EventData]) -> type[EventData]:
    """Class decorator: register an event contract."""
    return registry.register(cls)


def build_event(
    data: EventData,
    *,
    producer: str,
    subject: dict[str, str],
    occurred_at: datetime | None = None,
    correlation_id: str | None = None,
) -> EventEnvelope:
    if not subject:
        raise ValueError("an event needs at least one subject id")
    registry.get(data.event_type, data.event_version)  # only registered contracts leave a service
    return EventEnvelope(
        type=data.event_type,
        version=data.event_version,
        occurred_at=occurred_at or datetime.now(UTC),
        producer=producer,
        correlation_id=correlation_id or current_correlation_id.get(),
        subject={k: str(v) for k, v in subject.items()},
        data=data.model_dump(mode="json"),
    )


def parse_envelope(raw: bytes | str) -> EventEnvelope:
    """Parse and validate an envelope and its data. Raises ValueError on anything malformed."""
    try:
        envelope = EventEnvelope.model_validate_json(raw)
        envelope.payload()
    except (ValidationError, UnknownEventType) as exc:
        raise ValueError(str(exc)) from exc
    return envelope
