"""A supervisor's moves on a running deadline, on the time-skipping server started at chosen instants: suspend,
resume and the one extension; the provisional-year path and its recomputation when the year is loaded; blocked
automatic work and the retry. Expectations come from `tests/oracle.py`, not from the code under test."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select, update
from temporalio.client import WorkflowUpdateFailedError

from infra.db import Sessions
from models.payloads.forms import ExtendForm, ResumeForm, RetryForm, SuspendForm
from models.payloads.jobs import ReloadInput
from models.tables import CASES
from tests import oracle
from tests.conftest import time_skipping
from tests.workflows.calendars import loaded_calendar
from tests.workflows.driver import case_id_of, start_case, step
from tests.workflows.test_deadlines import REGISTRATION_DAYS, at_nine, fired_rungs, opened, skip_to
from worker import build_worker
from workflows import process
from workflows.calendar_reload import CalendarReloadWorkflow
from workflows.case import CaseWorkflow

SUSPEND_DAYS = {
    "monday": date(2026, 3, 9),
    "suspended_over_national_day": date(2026, 9, 28),
    "suspended_over_spring_festival": date(2026, 2, 13),
}


@pytest.mark.parametrize("start", list(SUSPEND_DAYS.values()), ids=list(SUSPEND_DAYS))
async def test_suspend_resume_and_one_extension(start: date, sessions: Sessions, task_queue: str) -> None:
    resumed_on = start + timedelta(days=10)
    waited = oracle.between(start, resumed_on)  # working days spent waiting on the applicant
    async with time_skipping(opened(start)) as env, build_worker(env.client, sessions, task_queue):
        handle = await start_case(env.client, sessions, task_queue)
        first = await handle.query(CaseWorkflow.state)
        assert first is not None and first.deadline is not None
        assert first.deadline.due_on == oracle.add(start, REGISTRATION_DAYS)[0]
        suspended = await step(handle, process.SUSPEND, "jiedao",
                               SuspendForm(reason="申请人住院，待出院后入户"))
        assert suspended.due_on == first.deadline.due_on
        await skip_to(env, opened(resumed_on))
        assert await fired_rungs(sessions, handle) == []  # a suspended clock raises no alarm
        resumed = await step(handle, process.RESUME, "jiedao", ResumeForm())
        assert resumed.due_on == oracle.add(start, REGISTRATION_DAYS + waited)[0]  # resumes where it stopped
        extended = await step(handle, process.EXTEND, "minzheng",
                              ExtendForm(working_days=2, reason="春节前入户人手不足"))
        assert extended.due_on == oracle.add(start, REGISTRATION_DAYS + waited + 2)[0]
        with pytest.raises(WorkflowUpdateFailedError) as refused:
            await step(handle, process.EXTEND, "minzheng", ExtendForm(working_days=1, reason="再延"))
        assert getattr(refused.value.cause, "type", None) == "already_extended"
    async with sessions() as s:
        row = (await s.execute(select(CASES.c.due_on, CASES.c.extended).where(
            CASES.c.id == case_id_of(handle)))).one()
    assert (row.due_on, row.extended) == (extended.due_on, True)


async def test_provisional_deadline_becomes_final_when_the_year_is_loaded(
    sessions: Sessions, task_queue: str
) -> None:
    start = date(2026, 12, 29)  # three working days reach 1 January 2027: no schedule published for 2027
    async with time_skipping(opened(start)) as env, build_worker(env.client, sessions, task_queue):
        handle = await start_case(env.client, sessions, task_queue)
        before = await handle.query(CaseWorkflow.state)
        assert before is not None and before.deadline is not None
        assert (before.deadline.due_on, before.deadline.provisional) == (date(2027, 1, 1), True)
        # A county officer loads the 2027 schedule (test data: 1 January off).
        async with loaded_calendar(sessions, [date(2027, 1, 1)]):
            count = await env.client.execute_workflow(
                CalendarReloadWorkflow.run, ReloadInput(year=2027), id=f"reload-2027-{task_queue}",
                task_queue=task_queue)
            assert count >= 1
            for _ in range(50):
                after = await handle.query(CaseWorkflow.state)
                if after is not None and after.deadline is not None and not after.deadline.provisional:
                    break
                await env.sleep(timedelta(seconds=1))
            assert after is not None and after.deadline is not None
            assert (after.deadline.due_on, after.deadline.provisional) == (date(2027, 1, 4), False)
            assert after.deadline.seq == before.deadline.seq  # the same deadline, recomputed
            async with sessions() as s:
                row = (await s.execute(select(CASES.c.due_on, CASES.c.due_provisional).where(
                    CASES.c.id == case_id_of(handle)))).one()
            assert (row.due_on, row.due_provisional) == (date(2027, 1, 4), False)


async def test_blocked_automatic_work_waits_for_a_retry(sessions: Sessions, task_queue: str) -> None:
    start = date(2026, 3, 9)
    due = oracle.add(start, REGISTRATION_DAYS)[0]
    async with time_skipping(opened(start)) as env, build_worker(env.client, sessions, task_queue):
        handle = await start_case(env.client, sessions, task_queue)
        case = CASES.c.id == case_id_of(handle)
        async with sessions.begin() as s:  # the cause: a record the escalation cannot read
            await s.execute(update(CASES).where(case).values(holder_role="nobody"))
        await skip_to(env, at_nine(due) + timedelta(hours=1))
        async with sessions() as s:
            blocked = (await s.execute(select(CASES.c.blocked_at, CASES.c.blocked_reason).where(case))).one()
        assert blocked.blocked_at is not None and "escalate" in blocked.blocked_reason
        state = await handle.query(CaseWorkflow.state)
        assert state is not None and state.blocked is not None
        assert await fired_rungs(sessions, handle) == []

        async with sessions.begin() as s:  # the cause is fixed
            await s.execute(update(CASES).where(case).values(holder_role="township_worker"))
        await step(handle, process.RETRY, "minzheng", RetryForm(note="已修复数据"))
        await env.sleep(timedelta(minutes=5))
        assert [r for r, _ in await fired_rungs(sessions, handle)] == ["reminder", "due"]
        async with sessions() as s:
            cleared = (await s.execute(select(CASES.c.blocked_at).where(case))).scalar_one()
        assert cleared is None
