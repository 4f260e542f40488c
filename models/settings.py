"""Process configuration, read from the environment (prefix-free, as in full-stack-fastapi-template)."""

from __future__ import annotations

import base64
import binascii
from functools import lru_cache
from pathlib import Path
from typing import Literal, Self

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[1]


# The shortest TOKEN_SECRET / ID_HASH_KEY production accepts: as long as the SHA-256 they key (RFC 7518 3.2).
MIN_SECRET_BYTES = 32
# The documents' key-encryption key for a laptop (refused outside development, also beside other keys).
DEV_DOCUMENT_KEY_ID = "dev"
DEV_DOCUMENT_KEY = "ZGV2LWRvY3VtZW50LWtlay0zMi1ieXRlcy1sb25nISE="

# Laptop-only values: a process outside development refuses to start with any of them.
DEV_SECRETS: dict[str, object] = {
    "token_secret": "dev-token-secret-change-me-laptop-only-0000",
    "id_hash_key": "dev-id-hash-key-change-me",
    "id_cipher_key": "ZGV2LWlkLWNpcGhlci1rZXktMzItYnl0ZXMtISEhISE=",
    "payload_key": "ZGV2LXBheWxvYWQta2V5LTMyLWJ5dGVzLWxvbmctISE=",
    "document_keys": {DEV_DOCUMENT_KEY_ID: DEV_DOCUMENT_KEY},
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
    token_secret: str = str(DEV_SECRETS["token_secret"])
    # HMAC key for the ID-number lookup hash: the same ID number always maps to the same hash, but a
    # database dump without this key cannot be reversed by enumerating the ~10^9 plausible numbers.
    id_hash_key: str = str(DEV_SECRETS["id_hash_key"])
    # 32-byte url-safe base64 keys (Fernet / AES-GCM): ID numbers at rest and Temporal payloads.
    id_cipher_key: str = str(DEV_SECRETS["id_cipher_key"])
    payload_key: str = str(DEV_SECRETS["payload_key"])

    # Documents (一人一档): contents live in an object store, never in the rows that queries read.
    # "filesystem": a folder (`documents_dir`, default DATA_DIR/documents); "s3": an S3-compatible bucket.
    document_store: Literal["filesystem", "s3"] = "filesystem"
    documents_dir: Path | None = None
    s3_endpoint_url: str | None = None
    s3_region: str = "us-east-1"
    s3_bucket: str = Field(default="assistflow-documents", min_length=3, max_length=63)
    s3_access_key_id: str | None = None
    s3_secret_access_key: str | None = None
    # Envelope encryption: every object has its own data key, wrapped by a key-encryption key named here.
    # DOCUMENT_KEYS is a JSON object {"key id": "32-byte url-safe base64"}; new objects use DOCUMENT_KEY_ID;
    # older ids stay for reading until `python -m activities.documents.rewrap` has moved every object off them.
    document_keys: dict[str, str] = Field(default_factory=lambda: {DEV_DOCUMENT_KEY_ID: DEV_DOCUMENT_KEY})
    document_key_id: str = DEV_DOCUMENT_KEY_ID
    # An object stored by an upload that never committed its row is removed after this long.
    document_orphan_grace_seconds: int = Field(default=3600, ge=0)

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

    @model_validator(mode="after")
    def _document_keys_usable(self) -> Self:
        if self.document_key_id not in self.document_keys:
            raise ValueError(f"DOCUMENT_KEY_ID {self.document_key_id!r} is not among DOCUMENT_KEYS")
        for key_id, key in self.document_keys.items():
            try:
                raw = base64.urlsafe_b64decode(key)
            except (binascii.Error, ValueError):
                raw = b""
            if len(raw) != 32 or not key_id or len(key_id) > 32:
                raise ValueError(f"DOCUMENT_KEYS[{key_id!r}] must be 32 bytes in url-safe base64 (id ≤ 32 chars)")
        if self.environment != "development" and (
            DEV_DOCUMENT_KEY_ID in self.document_keys or DEV_DOCUMENT_KEY in self.document_keys.values()
        ):  # the laptop key kept beside real ones would still open (and write) documents
            raise ValueError(f"ENVIRONMENT={self.environment} needs its own DOCUMENT_KEYS (not the dev key)")
        return self

    @property
    def documents_path(self) -> Path:
        return self.documents_dir or self.data_dir / "documents"


    @model_validator(mode="after")
    def _no_dev_secrets_in_production(self) -> Self:
        if self.environment != "development":
            left = sorted(name.upper() for name, dev in DEV_SECRETS.items() if getattr(self, name) == dev)
            if left:
                raise ValueError(f"ENVIRONMENT={self.environment} needs its own {', '.join(left)} (not the dev values)")
            # HS256 and HMAC keys shorter than the hash (32 bytes) can be guessed offline from one token or one
            # hashed ID number (RFC 7518 3.2); the two encryption keys must really be 32-byte keys.
            for name in ("token_secret", "id_hash_key"):
                size = len(str(getattr(self, name)).encode())
                if size < MIN_SECRET_BYTES:
                    raise ValueError(f"ENVIRONMENT={self.environment}: {name.upper()} must be at least "
                                     f"{MIN_SECRET_BYTES} bytes (it is {size}); generate one with "
                                     "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`")
            for name in ("id_cipher_key", "payload_key"):
                try:
                    raw = base64.urlsafe_b64decode(str(getattr(self, name)))
                except (binascii.Error, ValueError):
                    raw = b""
                if len(raw) != 32:
                    raise ValueError(f"ENVIRONMENT={self.environment}: {name.upper()} must be 32 bytes in url-safe "
                                     "base64 (`python -c 'import os, base64; "
                                     "print(base64.urlsafe_b64encode(os.urandom(32)).decode())'`)")
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
