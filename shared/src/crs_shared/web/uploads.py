"""Bulk-import files sent to an API: a multipart upload (field `file`) or the raw body."""
from __future__ import annotations

from typing import Literal

from fastapi import Request

from crs_shared.errors import FieldError, ValidationFailed

FileFormat = Literal["json", "csv"]
MAX_BYTES = 5 * 1024 * 1024


def file_format(content_type: str, filename: str | None = None) -> FileFormat:
    name = (filename or "").lower()
    if name.endswith(".csv") or "csv" in content_type:
        return "csv"
    if name.endswith(".json") or "json" in content_type:
        return "json"
    raise ValidationFailed([FieldError("file", "unsupported_format", "upload a .json or .csv file")])


async def read_upload(request: Request, *, max_bytes: int = MAX_BYTES) -> tuple[bytes, FileFormat]:
    """The file's bytes and format; 422 when it is missing, of another format or too large."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise ValidationFailed([FieldError("file", "required", "attach the file as form field 'file'")])
        content = await upload.read(max_bytes + 1)
        fmt = file_format(upload.content_type or "", upload.filename)
    else:
        content = await request.body()
        fmt = file_format(content_type)
    if len(content) > max_bytes:
        raise ValidationFailed([FieldError("file", "too_large", f"at most {max_bytes} bytes")])
    return content, fmt
