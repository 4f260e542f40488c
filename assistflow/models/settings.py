"""Process configuration, read from the environment (prefix-free, as in full-stack-fastapi-template)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]


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
    # How long the API waits for the case workflow to accept or refuse a step before answering 503.
    update_timeout_seconds: float = 15.0
    max_upload_bytes: int = 10 * 1024 * 1024
    data_dir: Path = Field(default=PROJECT_ROOT / ".data")


@lru_cache
def get_settings() -> Settings:
    return Settings()
