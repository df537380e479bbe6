"""Settings of the contracts service (env prefix CONTRACTS_)."""
from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from crs_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CONTRACTS_", extra="ignore")

    port: int = 8003
    database_url: str = "sqlite+aiosqlite:///var/embedded/contracts.db"
    promotion_interval_s: float = 60.0
    risk_check_interval_s: float = 300.0
