"""The service as separate processes for the fuzzing and fault suites: the API under uvicorn and the worker, each
its own process (so either can be killed), pointed at a PostgreSQL database and a Temporal server by the same
environment variables production uses. Nothing here fakes a part."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Proc:
    """One process of the service; started again with the same command and environment after a kill."""

    name: str
    argv: list[str]
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = field(default=None)

    def start(self) -> Proc:
        out = self.log.open("ab")
        self.process = subprocess.Popen(self.argv, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        return self

    def kill(self) -> None:
        """SIGKILL: no clean shutdown, as a crash or an OOM kill would leave it."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def service_env(database_url: str, temporal: str, queue: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TEMPORAL_ADDRESS")}
    env.update({"DATABASE_URL": database_url, "TEMPORAL_ADDRESS": temporal, "TASK_QUEUE": queue,
                "SETTLEMENT_SCHEDULE_ENABLED": "false", "SETTLEMENT_SCHEDULE_ID": f"settlement-{queue}",
                "PYTHONUNBUFFERED": "1"})
    return env


def api_proc(env: dict[str, str], port: int, log: Path) -> Proc:
    return Proc("api", [sys.executable, "-m", "uvicorn", "--factory", "api.main:app", "--host", "127.0.0.1",
                        "--port", str(port), "--log-level", "warning", "--timeout-keep-alive", "30"], env, log)


def worker_proc(env: dict[str, str], log: Path) -> Proc:
    return Proc("worker", [sys.executable, str(ROOT / "worker.py")], env, log)


def wait_healthy(base_url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base_url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{base_url} did not become healthy in {timeout} s")
