"""Settings of the notifications service (env prefix NOTIFICATIONS_)."""
from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from crs_shared.settings import ServiceSettings
from notifications.domain.retry import DEFAULT_SCHEDULE_S


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="NOTIFICATIONS_", extra="ignore")

    port: int = 8004
    database_url: str = "sqlite+aiosqlite:///var/embedded/notifications.db"

    # Email
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_timeout_s: float = 10.0
    smtp_connections: int = Field(4, description="SMTP connections open at once per delivery loop")
    mail_from: str = "notifications@crs.example"
    commercial_mailbox_template: str = Field(
        "commercial-{region}@crs.example", description="the commercial team's mailbox; {region} is the region code"
    )

    # Links in notifications and webhook payloads
    referrals_base_url: str = "http://127.0.0.1:8001"
    contracts_base_url: str = "http://127.0.0.1:8003"

    # Delivery
    delivery_workers: int = Field(2, description="delivery loops in this process; 0 disables delivery")
    delivery_batch_size: int = 200
    delivery_concurrency: int = Field(32, description="webhooks in flight per delivery loop")
    delivery_idle_poll_s: float = Field(
        0.25, description="longest idle sleep of a delivery loop; the consumer wakes it sooner, as do retries due")
    delivery_linger_s: float = Field(
        0.1, description="a woken delivery loop waits this long for more deliveries, to claim them together")
    delivery_lease_s: float = Field(60.0, description="a claimed delivery is retried after this if its sender died")
    retry_schedule_s: list[float] = Field(
        default_factory=lambda: list(DEFAULT_SCHEDULE_S), description="delays between attempts; then failed"
    )
    retry_jitter: float = 0.2
    webhook_timeout_s: float = 10.0
    secret_overlap_s: int = Field(86400, description="how long the previous secret still signs after a rotation")
