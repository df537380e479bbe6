"""Signed webhook POSTs (aiohttp), one keep-alive connection pool per delivery worker.

aiohttp rather than httpx: on this workload it sends several times as many requests per
second, and keeps scaling with concurrency where httpx slows down past ~8 in flight
(bench/notifications/bench_delivery.py measures both against the same receiver).
"""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import aiohttp

from notifications.adapters.email_sender import SendResult
from notifications.domain.signature import signature_header


@dataclass(frozen=True)
class Webhook:
    message_id: str  # the webhook-id: the same on every attempt, so receivers can dedupe
    url: str
    body: bytes
    secrets: list[str]


class WebhookSender:
    def __init__(self, timeout_s: float, max_connections: int, max_per_host: int | None = None) -> None:
        self.timeout = aiohttp.ClientTimeout(total=timeout_s)
        self.max_connections = max_connections
        self.max_per_host = max_per_host or max_connections
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        # Built lazily, inside the running event loop that uses it.
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self.max_connections, limit_per_host=self.max_per_host,
                                             keepalive_timeout=30, ttl_dns_cache=300)
            self._session = aiohttp.ClientSession(connector=connector, timeout=self.timeout,
                                                  auto_decompress=False, skip_auto_headers=("User-Agent",))
        return self._session

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
            async with self._client().post(webhook.url, data=webhook.body, headers=headers,
                                           allow_redirects=False) as response:
                status = response.status
                if 200 <= status < 300:
                    await response.read()  # drain, so the connection goes back to the pool
                    return SendResult(True, status, None)
                small = response.content_length is not None and response.content_length <= 65536
                # Read a small error body whole, so the connection stays reusable; never a large one.
                text = (await (response.read() if small else response.content.read(200)))[:200].decode(
                    "utf-8", "replace")
                return SendResult(False, status, f"HTTP {status}: {text}")
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
            return SendResult(False, None, f"{type(exc).__name__}: {exc}"[:1000])

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
