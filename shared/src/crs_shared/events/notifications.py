"""Events of the notifications service."""
from __future__ import annotations

import uuid
from typing import Literal

from crs_shared.events import topics
from crs_shared.events.envelope import EventData, event


class NotificationEvent(EventData):
    topic = topics.NOTIFICATIONS

    notification_id: uuid.UUID
    channel: Literal["email", "webhook", "inbox"]


@event
class NotificationDelivered(NotificationEvent):
    event_type = "notification.delivered"
    summary = "A notification reached its recipient."

    attempts: int


@event
class NotificationFailed(NotificationEvent):
    event_type = "notification.failed"
    summary = "A notification could not be delivered after all its retries."

    attempts: int
    last_error: str
