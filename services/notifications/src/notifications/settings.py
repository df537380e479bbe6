"""Settings of the notifications service (env prefix NOTIFICATIONS_)."""
from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from crs_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="NOTIFICATIONS_", extra="ignore")

    port: int = 8004
    database_url: str = "sqlite+aiosqlite:///var/embedded/notifications.db"
