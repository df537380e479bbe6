"""Settings every service shares. Each service subclasses with its own env prefix
(REFERRALS_, PROVIDERS_, ...) and builds it once at start-up, never at import."""
from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET = "dev-only-secret-change-me-0123456789abcdef"


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    host: str = "127.0.0.1"
    port: int
    database_url: str = Field(description="SQLAlchemy async URL: postgresql+asyncpg://... or sqlite+aiosqlite:///...")
    transport: Literal["embedded", "kafka"] = "embedded"
    kafka_bootstrap: str = "127.0.0.1:19092"
    topic_prefix: str = ""
    embedded_log_path: str = "var/embedded/events.db"
    jwt_secret: SecretStr = SecretStr(DEV_SECRET)
    run_workers: bool = Field(True, description="run the outbox relay and consumers inside the API process")
    migrate_on_start: bool = Field(True, description="apply this service's migrations when it starts")
    public_base_url: str = ""
    log_level: str = "INFO"
    relay_batch_size: int = 500
    consumer_max_attempts: int = 5
    consumer_transaction_size: int = Field(50, description="events handled together in one consumer transaction")
    db_pool_size: int = 10

    @model_validator(mode="after")
    def _no_dev_secret_in_production(self) -> ServiceSettings:
        if self.environment == "production" and self.jwt_secret.get_secret_value() == DEV_SECRET:
            raise ValueError("set a real JWT secret outside development")
        return self

    @property
    def base_url(self) -> str:
        return self.public_base_url or f"http://{self.host}:{self.port}"
