"""The monthly schedule on the Temporal dev server (the time-skipping server has no schedules): created
idempotently, firing on its calendar in Asia/Shanghai, and backfilling missed months."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from temporalio.client import Client, ScheduleHandle
from temporalio.service import RPCError
from temporalio.worker import Worker

from activities.settlement.schedule import backfill, ensure_schedule, nominal_run_at
from infra.db import Sessions
from models.settings import Settings
from models.settlement.payloads import RunSummary
from tests.conftest import SETTINGS
from tests.settlement.world import World, add_cases, add_record, at
from workflows import periods
from workflows.timing import CHINA


@pytest.fixture
async def schedule_settings(client: Client, task_queue: str) -> AsyncIterator[Settings]:
    settings = SETTINGS.model_copy(update={"task_queue": task_queue, "settlement_schedule_id": f"monthly-{task_queue}"})
    yield settings
    with contextlib.suppress(RPCError):  # never created: nothing to clean
        await client.get_schedule_handle(settings.settlement_schedule_id).delete()


async def _records_in(sessions: Sessions, world: World, period: str, visits: int = 2) -> None:
    first = periods.first_day(period)
    async with sessions.begin() as s:
        case = (await add_cases(s, world, 1))[0]
        for n in range(visits):
            await add_record(s, case, world.provider_a, "visit", at(first + timedelta(days=2 + 7 * n), 15))


async def _runs(sessions: Sessions, world: World) -> dict[str, tuple[datetime, int, bool, int]]:
    """period -> (cutoff, statements, finished, runs) of the world's county"""
    async with sessions() as s:
        rows = (await s.execute(text("""
            SELECT r.period, r.cutoff_at, r.last_finished_at IS NOT NULL AS done, r.runs,
                   (SELECT count(*) FROM statements st
                    WHERE st.county_code = r.county_code AND st.period = r.period) AS n
            FROM settlement_runs r WHERE r.county_code = :c"""), {"c": world.county})).all()
    return {r.period: (r.cutoff_at, r.n, r.done, r.runs) for r in rows}


async def _until_finished(sessions: Sessions, world: World, wanted: list[str], runs: int = 1) -> None:
    for _ in range(240):
        found = await _runs(sessions, world)
        if all(p in found and found[p][2] and found[p][3] >= runs for p in wanted):
            return
        await asyncio.sleep(0.25)
    raise AssertionError(f"runs not finished: {await _runs(sessions, world)}")


async def _statements(sessions: Sessions, world: World) -> list[tuple[object, ...]]:
    async with sessions() as s:
        rows = (await s.execute(text("SELECT period, id, version, content_sha256, total_amount FROM statements "
                                     "WHERE county_code = :c ORDER BY period"), {"c": world.county})).all()
    return [tuple(r) for r in rows]


async def test_the_schedule_is_created_idempotently_and_fires_in_china_time(
    client: Client, worker: Worker, sessions: Sessions, world: World, schedule_settings: Settings,
) -> None:
    fire = (datetime.now(CHINA) + timedelta(seconds=5)).replace(microsecond=0)
    period = periods.settled_by_run_at(fire)
    await _records_in(sessions, world, period)
    settings = schedule_settings.model_copy(update={
        "settlement_day": fire.day, "settlement_hour": fire.hour, "settlement_minute": fire.minute})
    await ensure_schedule(client, settings, second=fire.second)
    await ensure_schedule(client, settings, second=fire.second)  # a second worker start changes nothing

    handle: ScheduleHandle = client.get_schedule_handle(settings.settlement_schedule_id)
    described = await handle.describe()
    assert described.schedule.spec.time_zone_name == "Asia/Shanghai"
    assert described.schedule.policy.catchup_window == timedelta(days=settings.settlement_catchup_days)
    calendar = described.schedule.spec.calendars[0]
    assert [r.start for r in calendar.day_of_month] == [fire.day] and [r.start for r in calendar.hour] == [fire.hour]

    for _ in range(60):
        described = await handle.describe()
        if described.info.recent_actions:
            break
        await asyncio.sleep(0.5)
    action = described.info.recent_actions[0]
    assert action.scheduled_at == fire.astimezone(UTC)
    tick_id = action.action.workflow_id  # type: ignore[attr-defined]
    summary = await client.get_workflow_handle(tick_id, result_type=RunSummary).result()
    assert summary is not None and summary.period == period
    cutoff, statements, done, _ = (await _runs(sessions, world))[period]
    assert cutoff == fire and statements == 1 and done


async def test_backfill_runs_the_missed_months_once_each(
    client: Client, worker: Worker, sessions: Sessions, world: World, schedule_settings: Settings,
) -> None:
    missed = ["2026-07", "2026-08", "2026-09"]
    for period in missed:
        await _records_in(sessions, world, period)
    await ensure_schedule(client, schedule_settings)
    assert await backfill(client, schedule_settings, missed[0], missed[-1]) == missed

    await _until_finished(sessions, world, missed)
    runs = await _runs(sessions, world)
    assert set(runs) == set(missed)
    for period in missed:
        cutoff, statements, _, _ = runs[period]
        # The nominal time of the missed firing is the cutoff, as if the run had happened on the day.
        assert statements == 1 and cutoff == nominal_run_at(schedule_settings, period)
    first = await _statements(sessions, world)
    assert [(p, str(total)) for p, _, _, _, total in first] == [(p, "60.00") for p in missed]

    await backfill(client, schedule_settings, missed[0], missed[-1])  # the same months again: the same statements
    await _until_finished(sessions, world, missed, runs=2)
    assert await _statements(sessions, world) == first
