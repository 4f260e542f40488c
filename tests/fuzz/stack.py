"""A running service for the fuzzer: its own database (migrated and seeded, so the fuzzer's cases never meet
another test's), the API under uvicorn and the worker, both as processes, on a given Temporal server."""

from __future__ import annotations

import asyncio
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from devstack.seed import USERS, seed_demo, user_id
from infra.db import make_engine, make_sessions, sync_url
from infra.migrate import upgrade
from infra.security import issue_token
from models.payloads.actor import Actor
from models.settings import Settings
from tests.live import api_proc, free_port, service_env, wait_healthy, worker_proc

ROLES = ("zhangsan", "xieliyuan", "jiedao", "jiedaolead", "minzheng", "fuwu", "shenji")


@dataclass(frozen=True)
class Live:
    base_url: str
    database_url: str
    tokens: dict[str, str]


def tokens(settings: Settings, ttl: int = 4 * 3600) -> dict[str, str]:
    out = {}
    for u in USERS:
        if u.username in ROLES:
            actor = Actor(user_id=user_id(u.username), role=u.role, jurisdiction=u.jurisdiction,
                          provider_id=u.provider, person_id=u.person, lead=u.lead)
            out[u.username] = issue_token(actor, settings.token_secret, ttl)
    return out


async def _seed(url: str, settings: Settings) -> None:
    engine = make_engine(url, pool_size=1)
    await seed_demo(make_sessions(engine), settings)
    await engine.dispose()


@contextmanager
def live_service(server_url: str, temporal: str, settings: Settings) -> Iterator[Live]:
    """`server_url`: any database URL on the PostgreSQL server to use; a database of its own is made there."""
    name = f"assistflow_fuzz_{uuid.uuid4().hex[:10]}"
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    asyncio.run(_seed(url, settings))
    queue = f"fuzz-{uuid.uuid4().hex[:8]}"
    env = service_env(url, temporal, queue)
    port = free_port()
    logs = Path(tempfile.mkdtemp(prefix="assistflow-fuzz-"))
    worker = worker_proc(env, logs / "worker.log").start()
    api = api_proc(env, port, logs / "api.log").start()
    try:
        wait_healthy(f"http://127.0.0.1:{port}")
        yield Live(f"http://127.0.0.1:{port}", url, tokens(settings))
    finally:
        api.stop()
        worker.stop()
        admin = create_engine(make_url(sync_url(url)).set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
