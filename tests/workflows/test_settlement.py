"""A worker process killed (SIGKILL) in the middle of a run: another worker finishes it, and every record is
settled exactly once, with the statements a clean re-run computes."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from activities.settlement.sql import lock_key
from infra.db import Sessions
from models.settlement.payloads import RunSummary, SettlementStart
from tests.world import World, add_cases, add_record, at, make_world
from worker import build_worker
from workflows.settlement import SettlementWorkflow

PERIOD = "2026-08"


async def _fill(sessions: Sessions, world: World) -> None:
    async with sessions.begin() as s:
        for case in await add_cases(s, world, 3):
            for day in (4, 11):
                await add_record(s, case, world.provider_a, "cleaning_aid", at(date(2026, 8, day)))
            await add_record(s, case, world.provider_a, "visit", at(date(2026, 8, 20), 15))


async def _settled(sessions: Sessions, world: World) -> dict[str, Any]:
    async with sessions() as s:
        records = (await s.execute(text("""
            SELECT count(*) AS n, count(DISTINCT sr.record_id) AS distinct_n, sum(sr.amount) AS amount
            FROM statement_records sr JOIN service_records r ON r.id = sr.record_id
            JOIN cases c ON c.id = r.case_id WHERE c.county_code = :c"""), {"c": world.county})).one()
        statements = (await s.execute(text("SELECT id, version, content_sha256, total_amount FROM statements "
                                           "WHERE county_code = :c AND period = :p"),
                                      {"c": world.county, "p": PERIOD})).all()
    return {"records": tuple(records), "statements": sorted(tuple(r) for r in statements)}


async def _waiting_on_lock(engine: AsyncEngine) -> bool:
    async with engine.connect() as conn:
        return bool((await conn.execute(text(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"))).scalar_one())


async def test_a_worker_killed_mid_run_settles_everything_once(
    dev_env: WorkflowEnvironment, client: Client, engine: AsyncEngine, sessions: Sessions, task_queue: str,
    database_url: str,
) -> None:
    first, second = await make_world(sessions), await make_world(sessions)
    assert first.county < second.county  # computed in code order: the first is done when the second is cut
    await _fill(sessions, first)
    await _fill(sessions, second)

    env = {**os.environ, "DATABASE_URL": database_url, "TASK_QUEUE": task_queue,
           "TEMPORAL_ADDRESS": client.service_client.config.target_host, "SETTLEMENT_SCHEDULE_ENABLED": "false"}
    async with engine.connect() as gate:
        # Hold the second county's lock: the worker's run stops inside that county's transaction.
        await gate.execute(text("SELECT pg_advisory_lock(:k)"), {"k": lock_key(second.county)})
        await gate.commit()
        proc = subprocess.Popen([sys.executable, "-m", "worker"], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            handle = await client.start_workflow(
                SettlementWorkflow.run, SettlementStart(period=PERIOD), id=f"settlement-{PERIOD}-{task_queue}",
                task_queue=task_queue)
            for _ in range(240):
                if await _waiting_on_lock(engine):
                    break
                await asyncio.sleep(0.25)
            else:
                raise AssertionError("the worker never reached the second county")
            midway = await _settled(sessions, second)
            assert midway["records"][0] == 0 and (await _settled(sessions, first))["records"][0] == 9
            os.killpg(proc.pid, signal.SIGKILL)  # no shutdown, no goodbye: the activity is lost mid-transaction
            proc.wait(timeout=10)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
            await gate.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": lock_key(second.county)})
            await gate.commit()

    async with build_worker(client, sessions, task_queue):  # a fresh worker takes over after the heartbeat lapses
        summary: RunSummary = await asyncio.wait_for(handle.result(), timeout=120)
    assert summary.period == PERIOD and summary.counties >= 2

    attempts = [e.activity_task_started_event_attributes.attempt async for e in handle.fetch_history_events()
                if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED]
    assert max(attempts) >= 2  # the killed attempt was retried, not lost

    for world in (first, second):
        settled = await _settled(sessions, world)
        n, distinct_n, amount = settled["records"]
        assert (n, distinct_n, str(amount)) == (9, 9, "270.00")  # 3 cases x (2 x 30 + 30), each record once
    before = {w.county: await _settled(sessions, w) for w in (first, second)}
    async with build_worker(client, sessions, task_queue):  # a clean re-run of both counties: identical
        for world in (first, second):
            await client.execute_workflow(
                SettlementWorkflow.run, SettlementStart(period=PERIOD, county_code=world.county),
                id=f"settlement-{PERIOD}-{world.county}-{task_queue}", task_queue=task_queue)
    assert {w.county: await _settled(sessions, w) for w in (first, second)} == before
