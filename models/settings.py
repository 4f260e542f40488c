"""Process configuration, read from the environment (prefix-free, as in full-stack-fastapi-template)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[1]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    # asyncpg URL of the records database; the dev stack fills it in when it starts an embedded one.
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/assistflow"
    temporal_address: str = "127.0.0.1:7233"
    temporal_namespace: str = "default"
    task_queue: str = "assistflow-cases"

    # Secrets. The dev defaults are for a laptop only; production sets all three.
    token_secret: str = "dev-token-secret-change-me"
    # HMAC key for the ID-number lookup hash: the same ID number always maps to the same hash, but a
    # database dump without this key cannot be reversed by enumerating the ~10^9 plausible numbers.
    id_hash_key: str = "dev-id-hash-key-change-me"
    # 32-byte url-safe base64 keys (Fernet / AES-GCM): ID numbers at rest and Temporal payloads.
    id_cipher_key: str = "ZGV2LWlkLWNpcGhlci1rZXktMzItYnl0ZXMtISEhISE="
    payload_key: str = "ZGV2LXBheWxvYWQta2V5LTMyLWJ5dGVzLWxvbmctISE="

    token_ttl_hours: int = 8
    # How stale an API process's view of a user's standing (active, tokens revoked) may be.
    revocation_cache_seconds: float = Field(default=5.0, ge=0, le=300)
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

    # Operations. Logs are JSON lines at this level; the projection's gauges on /metrics are recomputed at most
    # this often; the worker serves the Temporal SDK's metrics at this address (host:port, off when empty).
    log_level: str = "INFO"
    metrics_cache_seconds: float = Field(default=15.0, ge=0, le=600)
    worker_metrics_address: str | None = None
    # /health/ready: how recently a worker must have polled the task queue to count as there.
    worker_poll_seconds: float = Field(default=120.0, ge=10, le=3600)


@lru_cache
def get_settings() -> Settings:
    return Settings()
