"""Objects as files under one folder, written atomically and durably (part file, fsync, rename, fsync dir).

Blocking file work runs in the default thread pool, so a large document never stalls the event loop.
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

from infra.storage import ObjectMissing, StoreUnavailable, check_key

_PART = ".part-"


class FileSystemStore:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.description = f"filesystem:{self.root}"

    def _path(self, key: str) -> Path:
        return self.root / check_key(key)

    def _put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.parent / f"{_PART}{path.name}-{uuid.uuid4().hex}"
        try:
            fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(part, path)
            dir_fd = os.open(path.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)  # the rename itself survives a power cut
            finally:
                os.close(dir_fd)
        except OSError as exc:
            part.unlink(missing_ok=True)
            raise StoreUnavailable(f"filesystem write failed: {exc.strerror}") from exc

    def _get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise ObjectMissing(key) from None
        except OSError as exc:
            raise StoreUnavailable(f"filesystem read failed: {exc.strerror}") from exc

    async def prepare(self) -> None:
        await asyncio.to_thread(self.root.mkdir, parents=True, exist_ok=True)

    async def put(self, key: str, data: bytes) -> None:
        await asyncio.to_thread(self._put, key, data)

    async def get(self, key: str) -> bytes:
        return await asyncio.to_thread(self._get, key)

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._path(key).unlink, missing_ok=True)

    async def exists(self, key: str) -> bool:
        return await asyncio.to_thread(self._path(key).is_file)

    def _walk(self, prefix: str, partials: bool) -> list[Path]:
        found: list[Path] = []
        for folder, _, names in os.walk(self.root):
            for name in names:
                if name.startswith(_PART) == partials:
                    found.append(Path(folder) / name)
        return [p for p in found if partials or p.relative_to(self.root).as_posix().startswith(prefix)]

    async def list_keys(self, prefix: str = "") -> AsyncIterator[str]:
        for path in sorted(await asyncio.to_thread(self._walk, prefix, False)):
            yield path.relative_to(self.root).as_posix()

    async def clean_partials(self, older_than_seconds: float) -> int:
        def clean() -> int:
            cutoff, removed = time.time() - older_than_seconds, 0
            for path in self._walk("", True):
                try:
                    if path.stat().st_mtime <= cutoff:
                        path.unlink()
                        removed += 1
                except FileNotFoundError:
                    pass  # finished or removed by another sweeper meanwhile
            return removed

        return await asyncio.to_thread(clean)

    async def close(self) -> None:
        return None
