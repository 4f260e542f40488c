"""Deadlines in the running case, on the time-skipping server started at chosen instants on the real 2025 and
2026 calendars: each escalation rung fires once, at its working-day instant, across a worker restart.

The expectations come from `tests/oracle.py` (the State Council schedules written out by hand), never from the
code under test, and each start day is chosen, so the suite means the same on every day it runs.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from temporalio.client import WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from infra.db import Sessions
from models.deadline_tables import NOTIFICATIONS
from tests import oracle
from tests.conftest import time_skipping
from tests.workflows.driver import case_id_of, start_case
from worker import build_worker
from workflows.case import CaseWorkflow

CHINA_TZ = oracle.CHINA
REGISTRATION_DAYS, REMINDER_BEFORE = 3, 2  # the documented defaults (policy/deadlines.py)


def at_nine(day: date) -> datetime:
    return datetime.combine(day, time(9), tzinfo=CHINA_TZ)


def opened(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=CHINA_TZ)


async def fired_rungs(sessions: Sessions, handle: WorkflowHandle[Any, Any]) -> list[tuple[str, datetime]]:
    async with sessions() as s:
        rows = (await s.execute(select(NOTIFICATIONS.c.rung, NOTIFICATIONS.c.created_at)
                                .where(NOTIFICATIONS.c.case_id == case_id_of(handle))
                                .order_by(NOTIFICATIONS.c.created_at))).all()
    return [(r.rung, r.created_at) for r in rows]


async def skip_to(env: WorkflowEnvironment, instant: datetime) -> None:
    await env.sleep(instant - await env.get_current_time())


# Start days: each weekday; the eve of a holiday; the day before a make-up workday; 31 December (into a
# published year, and into 2027, which no calendar has published yet).
START_DAYS = {
    "monday": date(2026, 3, 9), "tuesday": date(2026, 3, 10), "wednesday": date(2026, 3, 11),
    "thursday": date(2026, 3, 12), "friday": date(2026, 3, 13),
    "eve_of_national_day": date(2026, 9, 30),
    "eve_of_spring_festival_before_makeup_saturday": date(2026, 2, 13),
    "saturday_before_makeup_sunday": date(2026, 9, 19),
    "new_years_eve_into_2026": date(2025, 12, 31),
    "new_years_eve_into_unpublished_2027": date(2026, 12, 31),
}


@pytest.mark.parametrize("start", list(START_DAYS.values()), ids=list(START_DAYS))
async def test_each_rung_fires_once_at_its_working_day_instant(
    start: date, sessions: Sessions, task_queue: str
) -> None:
    due, provisional = oracle.add(start, REGISTRATION_DAYS)  # registration: the start day is not counted
    expected = [("due", at_nine(due)), ("overdue", at_nine(oracle.add(due, 1)[0]))]
    reminder = at_nine(oracle.subtract(due, REMINDER_BEFORE))
    if reminder > opened(start):  # a reminder already behind us when the deadline starts is not sent
        expected.insert(0, ("reminder", reminder))

    async with time_skipping(opened(start)) as env:
        # No workflow cache: every task is replayed from history, as after a worker restart (and a stopped
        # worker's sticky queue does not hold the case up on the time-skipping server).
        async with build_worker(env.client, sessions, task_queue, max_cached_workflows=0):
            handle = await start_case(env.client, sessions, task_queue)
            state = await handle.query(CaseWorkflow.state)
            assert state is not None and state.deadline is not None
            assert (state.deadline.due_on, state.deadline.provisional) == (due, provisional)
            await skip_to(env, at_nine(due) - timedelta(minutes=1))
        # A new worker process (nothing cached: it replays the history) takes over before the due rung.
        async with build_worker(env.client, sessions, task_queue, max_cached_workflows=0):
            await skip_to(env, expected[-1][1] + timedelta(days=3))
            fired = await fired_rungs(sessions, handle)

    assert [r for r, _ in fired] == [r for r, _ in expected]
    for (_, got), (_, want) in zip(fired, expected, strict=True):
        assert abs(got - want) < timedelta(minutes=1), (got, want)
