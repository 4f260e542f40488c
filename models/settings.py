"""Process configuration, read from the environment (prefix-free, as in full-stack-fastapi-template)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal, Self

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[1]


# Laptop-only values: a process outside development refuses to start with any of them.
DEV_SECRETS = {
    "token_secret": "dev-token-secret-change-me",
    "id_hash_key": "dev-id-hash-key-change-me",
    "id_cipher_key": "ZGV2LWlkLWNpcGhlci1rZXktMzItYnl0ZXMtISEhISE=",
    "payload_key": "ZGV2LXBheWxvYWQta2V5LTMyLWJ5dGVzLWxvbmctISE=",
}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    # development (a laptop, the tests) or production; production refuses the dev secrets below.
    environment: Literal["development", "production"] = "development"

    # asyncpg URL of the records database; the dev stack fills it in when it starts an embedded one.
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/assistflow"
    temporal_address: str = "127.0.0.1:7233"
    temporal_namespace: str = "default"
    task_queue: str = "assistflow-cases"

    # Secrets. The dev defaults are for a laptop only; production sets all four.
    token_secret: str = DEV_SECRETS["token_secret"]
    # HMAC key for the ID-number lookup hash: the same ID number always maps to the same hash, but a
    # database dump without this key cannot be reversed by enumerating the ~10^9 plausible numbers.
    id_hash_key: str = DEV_SECRETS["id_hash_key"]
    # 32-byte url-safe base64 keys (Fernet / AES-GCM): ID numbers at rest and Temporal payloads.
    id_cipher_key: str = DEV_SECRETS["id_cipher_key"]
    payload_key: str = DEV_SECRETS["payload_key"]

    # Access tokens are short-lived; a refresh token (rotated at each use, revoked at logout) keeps a working day
    # going without typing the password again.
    access_token_minutes: int = Field(default=15, ge=1, le=24 * 60)
    refresh_token_hours: int = Field(default=12, ge=1, le=24 * 30)
    # Login throttling, per username and per client address, counted in PostgreSQL (all API processes agree):
    # this many failures within the window lock further attempts for the lockout.
    login_failures_per_user: int = Field(default=5, ge=1)
    login_failures_per_address: int = Field(default=20, ge=1)
    login_window_minutes: int = Field(default=15, ge=1)
    login_lockout_minutes: int = Field(default=15, ge=1)
    # How long the API waits for the case workflow to accept or refuse a step before answering 503.
    update_timeout_seconds: float = 15.0
    max_upload_bytes: int = 10 * 1024 * 1024
    data_dir: Path = Field(default=PROJECT_ROOT / ".data")

    # The monthly settlement run (China time): a day every month has, after the month's last confirmations.
    settlement_day: int = Field(default=5, ge=1, le=28)
    settlement_hour: int = Field(default=2, ge=0, le=23)
    settlement_minute: int = Field(default=0, ge=0, le=59)
    # A server down over the run day still runs it within this many days; older misses are backfilled by hand.
    settlement_catchup_days: int = Field(default=7, ge=1, le=27)
    settlement_schedule_id: str = "assistflow-monthly-settlement"
    settlement_schedule_enabled: bool = True


    @model_validator(mode="after")
    def _no_dev_secrets_in_production(self) -> Self:
        if self.environment != "development":
            left = sorted(name.upper() for name, dev in DEV_SECRETS.items() if getattr(self, name) == dev)
            if left:
                raise ValueError(f"ENVIRONMENT={self.environment} needs its own {', '.join(left)} (not the dev values)")
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
