"""One fault run: the stack of tests/faults/stack.py, `cases` walked concurrently while `faults` faults hit the
worker, Temporal and PostgreSQL in turn; then the counts of tests/faults/walk.py."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import httpx

from devstack.seed import seed_demo
from infra.db import make_engine, make_sessions
from infra.migrate import upgrade
from models.settings import Settings
from tests.faults.stack import Postgres, Stack, new_root
from tests.faults.walk import Tally, Walker, count, inject

LOGS = Path(tempfile.gettempdir()) / "assistflow-faults-logs"


@dataclass(frozen=True)
class Plan:
    cases: int = 6
    faults: int = 3
    concurrency: int = 3
    patience: float = 90.0  # how long a client keeps retrying one request
    seed: int = 11


async def _seed(url: str, settings: Settings) -> None:
    engine = make_engine(url, pool_size=1)
    await seed_demo(make_sessions(engine), settings)
    await engine.dispose()


async def run(plan: Plan, settings: Settings) -> Tally:
    root = new_root()
    stack = Stack(root)
    stack.pg = Postgres(root / "pg")
    tally = Tally()
    try:
        await asyncio.to_thread(stack.pg.start_first)
        url = stack.pg.url.rsplit("/", 1)[0]
        database = stack.pg.url.replace("/postgres?", "/assistflow?") if "/postgres?" in stack.pg.url else url
        await asyncio.to_thread(upgrade, database)
        await _seed(database, settings)
        await asyncio.to_thread(stack.start, database)
        walker = Walker(stack, settings, tally, plan.patience)
        gate = asyncio.Semaphore(plan.concurrency)
        done = asyncio.Event()

        async def one(n: int, http: httpx.AsyncClient) -> None:
            async with gate:
                await walker.walk(http, n)

        async with httpx.AsyncClient(base_url=stack.base_url) as http:
            faults = asyncio.create_task(inject(stack, tally, plan.faults, plan.seed, done))
            supervisor = asyncio.create_task(stack.supervise(done))
            await asyncio.gather(*(one(n, http) for n in range(plan.cases)))
            done.set()
            await faults
            tally.supervisor_restarts = await supervisor
        await count(stack, database, settings, tally)
    finally:
        await asyncio.to_thread(stack.stop)
        # The processes' logs outlive the run (the last run's, in one place) for reading its findings.
        LOGS.mkdir(exist_ok=True)
        for log in root.glob("*.log"):
            shutil.copy(log, LOGS / log.name)
        shutil.rmtree(root, ignore_errors=True)
    return tally


def summary(tally: Tally) -> str:
    return (f"{len(tally.cases)} cases ({tally.finished} finished, {tally.stuck} waiting), faults "
            f"{dict(tally.faults)} ({tally.supervisor_restarts} restarts by the supervisor), "
            f"responses {dict(sorted(tally.statuses.items()))}, {tally.retried_keys} keys answered after "
            f"retries, {tally.replayed_keys} replayed with the original answer")
