"""Where document contents live: one small interface, a filesystem folder (the embedded default, under
DATA_DIR) or an S3-compatible bucket (production; SeaweedFS in docker-compose), chosen by settings.

Objects are opaque, already-encrypted bytes (`infra.envelope`) under keys the caller chooses. `put` is
atomic: a reader sees the whole object or none (a folder writes a hidden part file, syncs it and renames
it; S3's PUT is atomic). Every method may raise `StoreUnavailable` for a transient fault (the API answers
503); `get` raises `ObjectMissing` for a key that is not there.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Protocol

from models.settings import Settings

_KEY = re.compile(r"^[a-z0-9][a-z0-9/_-]{0,200}$")


class ObjectMissing(Exception):
    pass


class StoreUnavailable(Exception):
    pass


def check_key(key: str) -> str:
    if not _KEY.match(key) or ".." in key or "//" in key:
        raise ValueError(f"bad object key {key!r}")
    return key


class ObjectStore(Protocol):
    description: str

    async def prepare(self) -> None:
        """Create the folder or bucket if it is not there (idempotent; run at start-up)."""
        ...

    async def put(self, key: str, data: bytes) -> None: ...

    async def get(self, key: str) -> bytes: ...

    async def delete(self, key: str) -> None: ...

    async def exists(self, key: str) -> bool: ...

    def list_keys(self, prefix: str = "") -> AsyncIterator[str]: ...

    async def clean_partials(self, older_than_seconds: float) -> int:
        """Remove writes a killed process left half-done (a folder's part files); the count removed."""
        ...

    async def close(self) -> None: ...


def store_from_settings(settings: Settings) -> ObjectStore:
    if settings.document_store == "s3":
        from infra.storage.s3 import S3Store

        return S3Store.from_settings(settings)
    from infra.storage.filesystem import FileSystemStore

    return FileSystemStore(settings.documents_path)
