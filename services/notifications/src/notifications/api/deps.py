"""Dependencies of the notifications API."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from crs_shared.errors import FieldError, ValidationFailed
from notifications.service.uow import NotificationsUoW
from notifications.settings import Settings


def _uow(request: Request) -> NotificationsUoW:
    runtime = request.app.state.runtime
    return NotificationsUoW(runtime.sessions, runtime.outbox, runtime.name)


def _settings(request: Request) -> Settings:
    return request.app.state.runtime.settings


def _cursor(cursor: Annotated[str | None, Query(description="next_cursor of the previous page")] = None
            ) -> int | None:
    if cursor is None:
        return None
    if not cursor.isdigit():
        raise ValidationFailed([FieldError("cursor", "invalid_cursor", "use next_cursor from a previous page")])
    return int(cursor)


UoW = Annotated[NotificationsUoW, Depends(_uow)]
AppSettings = Annotated[Settings, Depends(_settings)]
Cursor = Annotated[int | None, Depends(_cursor)]
Limit = Annotated[int, Query(ge=1, le=100, description="page size")]
