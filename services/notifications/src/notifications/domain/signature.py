"""Standard Webhooks signatures (https://www.standardwebhooks.com), pure Python.

The signed content is ``"{webhook-id}.{webhook-timestamp}.{body}"``; the signature is
``v1,<base64 HMAC-SHA256>`` keyed with the secret's bytes (``whsec_<base64>``). During a
secret rotation's overlap the header carries one signature per live secret, separated by
spaces; a receiver accepts the message if any of them matches its secret.

Receivers can copy ``verify_webhook`` as it is: it needs only the standard library.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Iterable, Mapping

SECRET_PREFIX = "whsec_"


class WebhookVerificationError(ValueError):
    """The message is not authentic, or too old or too new to be trusted."""


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def _key(secret: str) -> bytes:
    raw = secret[len(SECRET_PREFIX):] if secret.startswith(SECRET_PREFIX) else secret
    return base64.b64decode(raw)


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    content = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signature_header(secrets_: Iterable[str], msg_id: str, timestamp: int, body: bytes) -> str:
    return " ".join(sign(s, msg_id, timestamp, body) for s in secrets_)


def verify_webhook(
    secret: str, headers: Mapping[str, str], body: bytes | str, tolerance: int = 300, now: float | None = None
) -> None:
    """Raise WebhookVerificationError unless the message is signed with `secret` and fresh."""
    lowered = {k.lower(): v for k, v in headers.items()}
    msg_id = lowered.get("webhook-id")
    stamp = lowered.get("webhook-timestamp")
    signatures = lowered.get("webhook-signature")
    if not msg_id or not stamp or not signatures:
        raise WebhookVerificationError("missing webhook-id, webhook-timestamp or webhook-signature")
    try:
        timestamp = int(stamp)
    except ValueError:
        raise WebhookVerificationError("webhook-timestamp is not an integer") from None
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance:
        raise WebhookVerificationError("webhook-timestamp is outside the tolerance")
    payload = body.encode() if isinstance(body, str) else body
    expected = sign(secret, msg_id, timestamp, payload).split(",", 1)[1]
    for candidate in signatures.split(" "):
        version, _, value = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(value, expected):
            return
    raise WebhookVerificationError("no matching signature")
