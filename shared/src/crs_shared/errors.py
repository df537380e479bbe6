"""Errors every service raises; pure Python so domain code may use them.

One handler (crs_shared.web.problems) renders them as RFC 9457 problem+json.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FieldError:
    field: str
    code: str
    message: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "code": self.code, "message": self.message or self.code.replace("_", " ")}


class AppError(Exception):
    status: int = 500
    code: str = "internal_error"
    title: str = "Internal error"

    def __init__(self, detail: str = "", **extra: Any) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.extra = extra


class NotFound(AppError):
    status, code, title = 404, "not_found", "Not found"


class Conflict(AppError):
    status, code, title = 409, "conflict", "Conflict"


class Unauthorized(AppError):
    status, code, title = 401, "unauthorized", "Unauthorized"


class Forbidden(AppError):
    status, code, title = 403, "forbidden", "Forbidden"


class ValidationFailed(AppError):
    status, code, title = 422, "validation_error", "Validation failed"

    def __init__(self, errors: list[FieldError], detail: str = "") -> None:
        super().__init__(detail or "The request has invalid fields", errors=[e.as_dict() for e in errors])
        self.errors = errors


@dataclass
class FieldErrors:
    """Collects field errors so a validator can report all of them at once."""

    errors: list[FieldError] = field(default_factory=list)

    def add(self, field_name: str, code: str, message: str = "") -> None:
        self.errors.append(FieldError(field_name, code, message))

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationFailed(self.errors)
