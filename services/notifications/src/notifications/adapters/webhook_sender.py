"""Signed webhook POSTs (httpx), one shared connection pool per delivery worker."""
from __future__ import annotations

import time
from dataclasses import dataclass

import httpx

from notifications.adapters.email_sender import SendResult
from notifications.domain.signature import signature_header


@dataclass(frozen=True)
class Webhook:
    message_id: str  # the webhook-id: the same on every attempt, so receivers can dedupe
    url: str
    body: bytes
    secrets: list[str]


class WebhookSender:
    def __init__(self, timeout_s: float, max_connections: int) -> None:
        self.client = httpx.AsyncClient(
            timeout=timeout_s, follow_redirects=False,
            limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections),
        )

    async def send(self, webhook: Webhook) -> SendResult:
        timestamp = int(time.time())
        headers = {
            "content-type": "application/json",
            "user-agent": "crs-notifications",
            "webhook-id": webhook.message_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": signature_header(webhook.secrets, webhook.message_id, timestamp, webhook.body),
        }
        try:
            response = await self.client.post(webhook.url, content=webhook.body, headers=headers)
        except httpx.HTTPError as exc:
            return SendResult(False, None, f"{type(exc).__name__}: {exc}"[:1000])
        if 200 <= response.status_code < 300:
            return SendResult(True, response.status_code, None)
        return SendResult(False, response.status_code, f"HTTP {response.status_code}: {response.text[:200]}")

    async def close(self) -> None:
        await self.client.aclose()
