"""The delivery worker: claim due deliveries, send them outside any transaction, log the outcome.

Delivery is at-least-once. A claim is a lease (``next_attempt_at`` pushed ahead by
``delivery_lease_s``): if the process dies mid-send, the delivery falls due again and is
sent again, with the same ``webhook-id`` / ``Message-ID`` so receivers can drop the copy.
"""
from __future__ import annotations

import asyncio
import logging
import random
import time
import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from crs_shared.db import utcnow
from crs_shared.events.notifications import NotificationFailed
from crs_shared.outbox import Outbox
from notifications.adapters.delivery_repository import Claimed, Outcome
from notifications.adapters.endpoint_repository import DeliveryTarget
from notifications.adapters.email_sender import Email, SendResult, SmtpSender
from notifications.adapters.webhook_sender import Webhook, WebhookSender
from notifications.domain.retry import next_attempt_at
from notifications.service.uow import NotificationsUoW
from notifications.service.wakeup import Wakeup
from notifications.settings import Settings

log = logging.getLogger(__name__)
SERVICE = "notifications"
MAX_EMAILS_PER_CONNECTION = 20


class DeliveryWorker:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], outbox: Outbox, settings: Settings,
        rng: random.Random | None = None, wakeup: Wakeup | None = None,
    ) -> None:
        self.sessions, self.outbox, self.settings = sessions, outbox, settings
        self.wakeup = wakeup or Wakeup()
        self.smtp = SmtpSender(settings.smtp_host, settings.smtp_port, settings.mail_from, settings.smtp_timeout_s)
        self.http = WebhookSender(settings.webhook_timeout_s, settings.delivery_concurrency)
        self.rng = rng or random.Random()
        # Webhooks and SMTP connections have their own limits: a slow mail server must not
        # hold up webhooks, nor the other way round.
        self._slots = asyncio.Semaphore(settings.delivery_concurrency)
        self._smtp_slots = asyncio.Semaphore(settings.smtp_connections)
        self.delivered = 0

    async def run(self, stop: asyncio.Event) -> None:
        stopping = asyncio.create_task(self._ring_on(stop))
        try:
            while not stop.is_set():
                try:
                    done = await self.run_once()
                except Exception:
                    log.exception("delivery round failed")
                    done = 0
                if done < self.settings.delivery_batch_size and not stop.is_set():
                    if await self.wakeup.wait(self.settings.delivery_idle_poll_s) and not stop.is_set():
                        # Woken by a commit: let a few more land, so that one claim takes them all.
                        await asyncio.sleep(self.settings.delivery_linger_s)
        finally:
            stopping.cancel()
            await self.http.close()

    async def _ring_on(self, stop: asyncio.Event) -> None:
        await stop.wait()
        self.wakeup.ring(everyone=True)  # idle loops notice the stop at once

    async def run_once(self) -> int:
        """Claim, send and record one batch; returns how many deliveries were attempted."""
        claimed, addresses, targets = await self._claim()
        if not claimed:
            return 0
        secrets = {endpoint_id: t.secrets for endpoint_id, t in targets.items()}
        outcomes = await self._send(claimed, addresses, secrets)
        async with NotificationsUoW(self.sessions, self.outbox, SERVICE) as uow:
            failed = await uow.deliveries.finish(outcomes)
            flagged = {endpoint_id for endpoint_id, t in targets.items() if t.flagged}
            await uow.endpoints.unflag(sorted({o.delivery.endpoint_id for o in outcomes
                                               if o.ok and o.delivery.endpoint_id in flagged}))
            await uow.endpoints.flag(sorted({o.delivery.endpoint_id for o in failed if o.delivery.endpoint_id}),
                                     utcnow(), "a delivery failed after all its retries")
            for o in failed:
                uow.emit(NotificationFailed(notification_id=uuid.UUID(o.delivery.notification_id),
                                            channel=o.delivery.channel, attempts=o.delivery.attempt,
                                            last_error=(o.error or "")[:500]),
                         notification_id=o.delivery.notification_id)
            await uow.commit()
        for o in outcomes:
            if o.next_attempt_at is not None:
                self.wakeup.due(o.next_attempt_at)  # this process wakes for its own retries on time
        self.delivered += sum(o.ok for o in outcomes)
        return len(claimed)

    async def _claim(self) -> tuple[list[Claimed], dict[str, str | None], dict[str, DeliveryTarget]]:
        s = self.settings
        async with NotificationsUoW(self.sessions, self.outbox, SERVICE) as uow:
            claimed = await uow.deliveries.claim(utcnow(), lease_s=s.delivery_lease_s, limit=s.delivery_batch_size,
                                                 token=str(uuid.uuid4()))
            addresses: dict[str, str | None] = {}
            for d in claimed:
                if d.channel == "email" and not d.address:
                    address = await _lookup_address(uow, d.recipient)
                    if address:
                        await uow.deliveries.set_address(d.seq, address)
                    addresses[d.id] = address
            endpoint_ids = sorted({d.endpoint_id for d in claimed if d.endpoint_id})
            targets = await uow.endpoints.delivery_targets(endpoint_ids, utcnow())
            for d in claimed:
                if d.endpoint_id:
                    target = targets.get(d.endpoint_id)
                    addresses[d.id] = target.url if target else None
            await uow.commit()
        return claimed, addresses, targets

    async def _send(
        self, claimed: list[Claimed], addresses: dict[str, str | None], secrets: dict[str, list[str]]
    ) -> list[Outcome]:
        emails = [d for d in claimed if d.channel == "email"]
        hooks = [d for d in claimed if d.channel == "webhook"]
        # Spread the emails over the allowed connections, each sending several in a row.
        per_connection = min(MAX_EMAILS_PER_CONNECTION, -(-len(emails) // self.settings.smtp_connections) or 1)
        tasks = [self._send_emails(emails[i:i + per_connection], addresses)
                 for i in range(0, len(emails), per_connection)]
        tasks += [self._send_webhook(d, addresses.get(d.id) or "", secrets.get(d.endpoint_id or "", []))
                  for d in hooks]
        outcomes: list[Outcome] = []
        for result in await asyncio.gather(*tasks):
            outcomes.extend(result)
        return outcomes

    async def _send_emails(self, batch: list[Claimed], addresses: dict[str, str | None]) -> list[Outcome]:
        ready = [d for d in batch if d.address or addresses.get(d.id)]
        unknown = [d for d in batch if d not in ready]
        async with self._smtp_slots:
            started, at = time.monotonic(), utcnow()
            results = await self.smtp.send_all([
                Email(message_id=d.id, to=d.address or addresses[d.id] or "", title=d.title,
                      event_type=d.event_type, reference=d.reference, link=d.link)
                for d in ready
            ]) if ready else []
            elapsed = int((time.monotonic() - started) * 1000)
        outcomes = [self._outcome(d, at, r, elapsed) for d, r in zip(ready, results)]
        outcomes += [self._outcome(d, at, SendResult(False, None, "no email address known yet"), 0) for d in unknown]
        return outcomes

    async def _send_webhook(self, d: Claimed, url: str, live_secrets: list[str]) -> list[Outcome]:
        async with self._slots:
            started, at = time.monotonic(), utcnow()
            if not url or not live_secrets:
                result = SendResult(False, None, "endpoint has no URL or no live secret")
            else:
                result = await self.http.send(Webhook(d.id, url, (d.payload or "{}").encode(), live_secrets))
            return [self._outcome(d, at, result, int((time.monotonic() - started) * 1000))]

    def _outcome(self, d: Claimed, at: datetime, result: SendResult, elapsed_ms: int) -> Outcome:
        retry_at = None if result.ok else next_attempt_at(
            utcnow(), d.attempt, self.settings.retry_schedule_s, self.settings.retry_jitter, self.rng)
        return Outcome(delivery=d, attempted_at=at, ok=result.ok, response_code=result.response_code,
                       error=result.error, duration_ms=elapsed_ms, next_attempt_at=retry_at)


async def _lookup_address(uow: NotificationsUoW, recipient: str) -> str | None:
    kind, _, key = recipient.partition(":")
    if kind == "provider":
        return await uow.read_models.provider_mailbox(key)
    if kind == "caseworker":
        return await uow.read_models.active_caseworker_email(key)
    return None


def delivery_worker(runtime, stop: asyncio.Event, wakeup: Wakeup | None = None):  # type: ignore[no-untyped-def]
    """A `ServiceRuntime` worker: one delivery loop."""
    return DeliveryWorker(runtime.sessions, runtime.outbox, runtime.settings, wakeup=wakeup).run(stop)
