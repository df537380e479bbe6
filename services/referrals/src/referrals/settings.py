"""Settings of the referrals service (env prefix REFERRALS_)."""
from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from crs_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="REFERRALS_", extra="ignore")

    port: int = 8001
    database_url: str = "sqlite+aiosqlite:///var/embedded/referrals.db"

    sla_poll_interval_s: float = 30.0
    draft_cleanup_interval_s: float = 3600.0
