"""`python -m devstack` (what `scripts/start` runs), for real: starts, serves, stops everything.

PostgreSQL: a fresh database on the server at DATABASE_URL when set, otherwise the embedded one in a temporary
DATA_DIR (never the project's .data). Temporal: the dev server the stack starts, on free ports.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

from devstack.seed import DEMO_PASSWORD, USERS

START_TIMEOUT = 180.0
STOP_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def group_gone(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    return False


def pid_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def wait_for(what: str, probe: Callable[[], bool], proc: subprocess.Popen[str], output: list[str]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while not probe():
        assert proc.poll() is None, f"devstack exited with {proc.returncode} before {what}:\n" + "".join(output)
        assert time.monotonic() < deadline, f"{what} not within {START_TIMEOUT:.0f} s:\n" + "".join(output)
        time.sleep(0.5)


def answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def started(output: list[str]) -> dict[str, int]:
    """The children the stack reports, by name: each leads its own process group."""
    return {m[0]: int(m[1]) for m in re.findall(r"devstack: started (\w+) \(pid (\d+)\)", "".join(output))}


def postmaster_pid(data_dir: Path) -> int | None:
    pidfile = data_dir / "postgres" / "postmaster.pid"
    return int(pidfile.read_text().split()[0]) if pidfile.exists() else None


def admin_url(raw: str) -> URL:
    return make_url(raw).set(drivername="postgresql+psycopg2", database="postgres")


@pytest.mark.timeout(400)
def test_devstack_starts_serves_and_stops_everything() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="af-devstack-"))  # short: the embedded server's socket lives here
    api, temporal, ui = free_port(), free_port(), free_port()
    env = {**os.environ, "DATA_DIR": str(tmp / "data"), "API_PORT": str(api), "TEMPORAL_PORT": str(temporal),
           "TEMPORAL_UI_PORT": str(ui), "PYTHONUNBUFFERED": "1"}
    env.pop("TEMPORAL_ADDRESS", None)
    given = os.environ.get("DATABASE_URL")
    db_name = f"assistflow_devstack_{uuid.uuid4().hex[:8]}"
    if given:
        admin = create_engine(admin_url(given), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{db_name}"'))
        admin.dispose()
        env["DATABASE_URL"] = make_url(given).set(database=db_name).render_as_string(hide_password=False)
    else:
        env.pop("DATABASE_URL", None)

    proc = subprocess.Popen([sys.executable, "-m", "devstack"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.extend(iter(proc.stdout.readline, "")), daemon=True)  # type: ignore[union-attr]
    reader.start()
    try:
        base = f"http://127.0.0.1:{api}"
        wait_for("GET /health answers 200", lambda: answers(f"{base}/health"), proc, output)
        wait_for("the banner", lambda: any("is running" in line for line in output), proc, output)
        printed = "".join(output)
        children = started(output)
        assert set(children) == {"temporal", "worker", "api"}, printed
        postmaster = postmaster_pid(tmp / "data")
        assert (postmaster is None) == bool(given), "embedded PostgreSQL expected exactly when DATABASE_URL is unset"
        assert f"{base}/docs" in printed and f"http://127.0.0.1:{ui}" in printed
        assert all(u.username in printed for u in USERS) and DEMO_PASSWORD in printed

        docs = httpx.get(f"{base}/docs", timeout=10)
        assert docs.status_code == 200 and "swagger" in docs.text.lower()
        assert answers(f"http://127.0.0.1:{ui}/"), "the Temporal UI does not answer"
        login = httpx.post(f"{base}/auth/token", data={"username": "jiedao", "password": DEMO_PASSWORD}, timeout=10)
        assert login.status_code == 200, login.text
        token = login.json()["access_token"]
        cases = httpx.get(f"{base}/cases", headers={"Authorization": f"Bearer {token}"}, timeout=10)
        assert cases.status_code == 200, cases.text
        assert isinstance(cases.json()["items"], list)

        os.kill(proc.pid, signal.SIGINT)
        assert proc.wait(STOP_TIMEOUT) == 0, "".join(output)
        reader.join(10)
        assert "everything stopped" in "".join(output)
        left = [name for name, pid in children.items() if not group_gone(pid)]
        assert not left, f"still running after Ctrl-C: {left}"
        if postmaster is not None:
            deadline = time.monotonic() + 10
            while not pid_gone(postmaster) and time.monotonic() < deadline:
                time.sleep(0.2)
            assert pid_gone(postmaster), "the embedded PostgreSQL is still running after Ctrl-C"
        if given:  # the stack used the database named in DATABASE_URL, not `assistflow`
            eng = create_engine(admin_url(given).set(database=db_name))
            with eng.connect() as conn:
                assert conn.execute(text("SELECT count(*) FROM users")).scalar_one() == len(USERS)
            eng.dispose()
    finally:
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
        for pid in started(output).values():  # also when the test failed before reading them
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
        leftover = postmaster_pid(tmp / "data")
        with contextlib.suppress(OSError):  # only if that pid still is our postgres
            if leftover is not None and str(tmp).encode() in Path(f"/proc/{leftover}/cmdline").read_bytes():
                os.kill(leftover, signal.SIGQUIT)
        if given:
            admin = create_engine(admin_url(given), isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'))
            admin.dispose()
        shutil.rmtree(tmp, ignore_errors=True)
