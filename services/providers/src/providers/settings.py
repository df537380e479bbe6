"""Settings of the providers service (env prefix PROVIDERS_)."""
from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from crs_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PROVIDERS_", extra="ignore")

    port: int = 8002
    database_url: str = "sqlite+aiosqlite:///var/embedded/providers.db"
