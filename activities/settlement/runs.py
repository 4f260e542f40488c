"""The monthly run's activities: open a run (fix each county's cutoff), compute one county, close the run.

Each is one transaction and idempotent on its business key: the run row on (period, county), the
computation on the statements' (period, purchaser, provider) and the records' primary keys. A retry after a
worker died re-does a county from the same inputs and lands on the same statements.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime

from sqlalchemy import text
from temporalio import activity

from activities.settlement.sql import compute_county
from infra.db import Sessions
from models.settlement.payloads import CountyComputed, CountyInput, CountyRun, RunFinished, RunOpened, RunRequest
from workflows.settlement_activities import SettlementActivities

HEARTBEAT_SECONDS = 2.0


@contextlib.asynccontextmanager
async def heartbeating(every: float = HEARTBEAT_SECONDS) -> AsyncIterator[None]:
    """Heartbeat while a long statement runs, so a dead worker is noticed in seconds, not at the timeout."""

    async def beat() -> None:
        while True:
            activity.heartbeat()
            await asyncio.sleep(every)

    task = asyncio.create_task(beat())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


class RunActivities(SettlementActivities):
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    @activity.defn
    async def settlement_open_run(self, request: RunRequest) -> RunOpened:
        req = request
        now = datetime.now(UTC)
        async with self._sessions.begin() as session:
            if req.county_code is not None:
                counties = [req.county_code]
            else:  # every county with a service list of its own
                counties = list((await session.execute(text(
                    "SELECT DISTINCT county_code FROM service_items ORDER BY county_code"))).scalars())
            runs = []
            for county in counties:
                # The first run of a county x period fixes its cutoff; a retry of the same run counts once.
                row = (await session.execute(text("""
                    INSERT INTO settlement_runs (period, county_code, cutoff_at, runs, last_workflow_id,
                                                 last_started_at)
                    VALUES (:p, :c, :cutoff, 1, :wid, :now)
                    ON CONFLICT (period, county_code) DO UPDATE SET
                        runs = settlement_runs.runs
                               + CASE WHEN settlement_runs.last_workflow_id IS DISTINCT FROM EXCLUDED.last_workflow_id
                                      THEN 1 ELSE 0 END,
                        last_workflow_id = EXCLUDED.last_workflow_id,
                        last_started_at = EXCLUDED.last_started_at, last_finished_at = NULL
                    RETURNING cutoff_at
                """), {"p": req.period, "c": county, "cutoff": req.cutoff, "wid": req.workflow_id, "now": now})).one()
                runs.append(CountyRun(county_code=county, cutoff=row.cutoff_at))
        return RunOpened(period=req.period, counties=runs)

    @activity.defn
    async def settlement_compute_county(self, job: CountyInput) -> CountyComputed:
        async with heartbeating(), self._sessions.begin() as session:
            return await compute_county(session, job, datetime.now(UTC))

    @activity.defn
    async def settlement_close_run(self, done: RunFinished) -> None:
        async with self._sessions.begin() as session:
            await session.execute(text("""
                UPDATE settlement_runs SET last_finished_at = :now
                WHERE period = :p AND county_code = ANY(:counties) AND last_workflow_id = :wid
            """), {"now": datetime.now(UTC), "p": done.period, "counties": done.counties, "wid": done.workflow_id})
