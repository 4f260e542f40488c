"""The monthly schedule on the Temporal dev server (the time-skipping server has no schedules): created
idempotently, forecast to fire on its calendar in Asia/Shanghai, and backfilling missed months (each run with
its nominal time as the cutoff, as a firing on the day would)."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from temporalio.client import Client, ScheduleHandle
from temporalio.service import RPCError
from temporalio.worker import Worker

from activities.settlement.schedule import backfill, ensure_schedule, nominal_run_at, spec_for
from infra.db import Sessions
from models.settings import Settings
from tests.conftest import SETTINGS
from tests.world import World, add_cases, add_record, at
from vocabulary.china import CHINA
from workflows import periods

SHANGHAI = ZoneInfo("Asia/Shanghai")


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


def first_firing_after(instant: datetime, day: int, hour: int) -> datetime:
    """The oracle: the first `day`-of-month at `hour`:00 Asia/Shanghai strictly after `instant`."""
    local = instant.astimezone(SHANGHAI)
    candidate = local.replace(day=day, hour=hour, minute=0, second=0, microsecond=0)
    if candidate <= local:
        year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
        candidate = candidate.replace(year=year, month=month)
    return candidate.astimezone(UTC)


async def test_the_schedule_is_created_idempotently_and_fires_monthly_in_china_time(
    client: Client, schedule_settings: Settings,
) -> None:
    """When it fires comes from the server's own forecast (next action times), checked against an oracle that is
    right on every day; that a firing runs the period with its nominal time is the backfill test below."""
    before = datetime.now(UTC)
    await ensure_schedule(client, schedule_settings)
    await ensure_schedule(client, schedule_settings)  # a second worker start changes nothing

    handle: ScheduleHandle = client.get_schedule_handle(schedule_settings.settlement_schedule_id)
    described = await handle.describe()
    assert described.schedule.spec.time_zone_name == "Asia/Shanghai"
    assert described.schedule.policy.catchup_window == timedelta(days=schedule_settings.settlement_catchup_days)
    assert len(described.schedule.spec.calendars) == 1
    day, hour = schedule_settings.settlement_day, schedule_settings.settlement_hour
    upcoming = described.info.next_action_times[:3]
    first = first_firing_after(before, day, hour)
    # (the second candidate only if a firing fell between `before` and the describe call)
    assert upcoming[0] in (first, first_firing_after(first, day, hour))
    for earlier, later in itertools.pairwise(upcoming):
        assert later == first_firing_after(earlier, day, hour)  # every month, on the day, at the hour, China time


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


def test_schedule_spec_follows_the_settings() -> None:
    settings = Settings(settlement_day=7, settlement_hour=3, settlement_minute=30)
    spec = spec_for(settings)
    calendar = spec.calendars[0]
    assert spec.time_zone_name == "Asia/Shanghai"
    assert [r.start for r in calendar.day_of_month] == [7]
    assert [r.start for r in calendar.hour] == [3] and [r.start for r in calendar.minute] == [30]
    assert nominal_run_at(settings, "2026-12") == datetime(2027, 1, 7, 3, 30, tzinfo=CHINA)
