"""The whole service as four separate processes that a fault can hit: a PostgreSQL of its own (pgserver's binaries,
restarted with pg_ctl: the machine's server is never touched), a Temporal dev server on a file database (killed
with SIGKILL and started again on the same data), the worker (SIGKILL) and the API."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from sqlalchemy.engine import make_url

from devstack import binaries as devtools
from tests.live import Proc, api_proc, free_port, service_env, wait_healthy, worker_proc


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class Postgres:
    """pgserver for the first start (it prepares a data directory owned by an unprivileged user when run as
    root); pg_ctl stop/start afterwards, with the same socket directory."""

    data: Path
    url: str = ""
    user: str | None = None
    socket_dir: str = ""

    def start_first(self) -> None:
        import pgserver

        server = pgserver.get_server(str(self.data), cleanup_mode=None)  # type: ignore[attr-defined]
        self.user = server.system_user
        uri = str(server.get_uri())
        self.socket_dir = parse_qs(urlparse(uri).query)["host"][0]
        self.url = make_url(uri).set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)

    def _ctl(self, *args: str) -> None:
        from pgserver import _commands

        _commands.pg_ctl(list(args), pgdata=self.data, user=self.user, timeout=60)  # type: ignore[attr-defined]

    def stop(self, mode: str = "fast") -> None:
        self._ctl("-w", "-m", mode, "stop")

    def start(self) -> None:
        self._ctl("-w", "-o", '-h ""', "-o", f"-k {self.socket_dir}", "-l", str(self.data / "log"), "start")


@dataclass
class Stack:
    root: Path
    queue: str = field(default_factory=lambda: f"faults-{uuid.uuid4().hex[:6]}")
    temporal_port: int = field(default_factory=free_port)
    api_port: int = field(default_factory=free_port)
    pg: Postgres | None = None
    procs: dict[str, Proc] = field(default_factory=dict)
    held: set[str] = field(default_factory=set)  # down on purpose (a fault): not to be restarted meanwhile

    @property
    def temporal(self) -> str:
        return f"127.0.0.1:{self.temporal_port}"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    def _temporal_proc(self, first: bool) -> Proc:
        flags = devtools.search_attribute_flags() if first else []
        return Proc("temporal", [devtools.temporal_cli(), "server", "start-dev", "--db-filename",
                                 str(self.root / "temporal.db"), "--ip", "127.0.0.1", "--port",
                                 str(self.temporal_port), "--headless", "--log-level", "error", *flags],
                    dict(os.environ), self.root / "temporal.log")

    def start_temporal(self, first: bool = False) -> None:
        self.procs["temporal"] = self._temporal_proc(first).start()
        deadline = time.monotonic() + 60
        while not _port_open(self.temporal_port):
            if time.monotonic() > deadline:
                raise RuntimeError("Temporal dev server did not start")
            time.sleep(0.2)
        time.sleep(1.0)  # the frontend accepts connections a moment before it serves

    def start(self, database_url: str) -> None:
        """`database_url`: the database on this stack's PostgreSQL (migrated and seeded by the caller)."""
        self.start_temporal(first=True)
        env = service_env(database_url, self.temporal, self.queue)
        self.procs["worker"] = worker_proc(env, self.root / "worker.log").start()
        self.procs["api"] = api_proc(env, self.api_port, self.root / "api.log").start()
        wait_healthy(self.base_url)

    # ---- faults --------------------------------------------------------------------------------------------

    async def kill_worker(self, down: float) -> None:
        self.held.add("worker")
        self.procs["worker"].kill()
        await asyncio.sleep(down)
        self.procs["worker"].start()
        self.held.discard("worker")

    async def supervise(self, done: asyncio.Event) -> int:
        """What a process manager (compose's `restart: unless-stopped`) does: the worker or the API exiting on
        its own is started again. Returns how often that was needed."""
        restarts = 0
        while not done.is_set():
            for name in ("worker", "api"):
                proc = self.procs[name].process
                if name not in self.held and proc is not None and proc.poll() is not None:
                    self.procs[name].start()
                    restarts += 1
            await asyncio.sleep(0.5)
        return restarts

    async def kill_temporal(self, down: float) -> None:
        self.procs["temporal"].kill()
        await asyncio.sleep(down)
        await asyncio.to_thread(self.start_temporal)

    async def restart_postgres(self, down: float) -> None:
        assert self.pg is not None
        await asyncio.to_thread(self.pg.stop)
        await asyncio.sleep(down)
        await asyncio.to_thread(self.pg.start)

    def stop(self) -> None:
        for name in ("api", "worker", "temporal"):
            if name in self.procs:
                self.procs[name].stop()
        if self.pg is not None:
            with contextlib.suppress(subprocess.CalledProcessError):
                self.pg.stop()


def new_root() -> Path:
    root = Path(tempfile.mkdtemp(prefix="assistflow-faults-"))
    os.chmod(root, 0o755)  # the PostgreSQL user reaches its data directory inside
    return root
