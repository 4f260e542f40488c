"""Deadlines in the running case, on the time-skipping server: each escalation rung fires once, at its
working-day instant (holidays and make-up days included), across a worker restart; suspend, resume and the
one extension; the provisional-year path and its recomputation; blocked automatic work and the retry."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select, update
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError
from temporalio.testing import WorkflowEnvironment

from infra.db import Sessions
from models.deadline_tables import NOTIFICATIONS
from models.payloads import ExtendForm, ReloadInput, ResumeForm, RetryForm, SuspendForm
from models.tables import CASES
from policy.deadlines import CHINA
from policy.workdays import calendar
from tests.workflows.calendars import loaded_calendar
from tests.workflows.driver import case_id_of, start_case, step
from worker import build_worker
from workflows.calendar_reload import CalendarReloadWorkflow
from workflows.case import CaseWorkflow


def at_nine(day: date) -> datetime:
    return datetime.combine(day, time(9), tzinfo=CHINA)


async def today(env: WorkflowEnvironment) -> date:
    return (await env.get_current_time()).astimezone(CHINA).date()


async def rungs(sessions: Sessions, handle: WorkflowHandle[Any, Any]) -> list[tuple[str, datetime]]:
    async with sessions() as s:
        rows = (await s.execute(select(NOTIFICATIONS.c.rung, NOTIFICATIONS.c.created_at)
                                .where(NOTIFICATIONS.c.case_id == case_id_of(handle))
                                .order_by(NOTIFICATIONS.c.created_at))).all()
    return [(r.rung, r.created_at) for r in rows]


async def skip_to(env: WorkflowEnvironment, instant: datetime) -> None:
    await env.sleep(instant - await env.get_current_time())


def nth_weekday_after(start: date, n: int, rest: set[date], worked: set[date]) -> date:
    """Counted independently of the code under test: weekdays, minus `rest`, plus `worked`."""
    day, counted = start, 0
    while counted < n:
        day += timedelta(days=1)
        counted += (day.weekday() < 5 and day not in rest) or day in worked
    return day


async def test_each_rung_fires_once_at_its_working_day_instant(
    fresh_ts_env: WorkflowEnvironment, sessions: Sessions, task_queue: str
) -> None:
    env = fresh_ts_env
    start = await today(env)
    weekdays = [start + timedelta(days=i) for i in range(1, 8) if (start + timedelta(days=i)).weekday() < 5]
    rest = set(weekdays[:2])  # the next two weekdays are a holiday...
    saturday = next(d for d in (max(rest) + timedelta(days=i) for i in range(1, 8)) if d.weekday() == 5)
    worked = {saturday}  # ...made up on the Saturday after
    due = nth_weekday_after(start, 3, rest, worked)  # registration: 3 working days, start day not counted
    assert due == saturday or due < saturday  # the make-up Saturday counts as a working day
    reminder = at_nine(nth_weekday_after(start, 1, rest, worked)) if due == saturday else None
    overdue = at_nine(nth_weekday_after(due, 1, rest, worked))

    # No workflow cache: every task is replayed from history, as after a worker restart (and a stopped
    # worker's sticky queue does not hold the case up on the time-skipping server).
    async with loaded_calendar(sessions, rest, worked):
        async with build_worker(env.client, sessions, task_queue, max_cached_workflows=0):
            handle = await start_case(env.client, sessions, task_queue)
            state = await handle.query(CaseWorkflow.state)
            assert state is not None and state.deadline is not None
            assert (state.deadline.due_on, state.deadline.provisional) == (due, False)
            await skip_to(env, at_nine(due) - timedelta(minutes=1))
        # A new worker process (nothing cached: it replays the history) takes over before the due rung.
        async with build_worker(env.client, sessions, task_queue, max_cached_workflows=0):
            await skip_to(env, overdue + timedelta(days=3))
            fired = await rungs(sessions, handle)

    expected = [("due", at_nine(due)), ("overdue", overdue)]
    if reminder is not None and reminder > await _opened_at(sessions, handle):
        expected.insert(0, ("reminder", reminder))
    assert [r for r, _ in fired] == [r for r, _ in expected]
    for (_, got), (_, want) in zip(fired, expected, strict=True):
        assert abs(got - want) < timedelta(minutes=1), (got, want)


async def _opened_at(sessions: Sessions, handle: WorkflowHandle[Any, Any]) -> datetime:
    async with sessions() as s:
        opened: datetime = (await s.execute(select(CASES.c.opened_at).where(
            CASES.c.id == case_id_of(handle)))).scalar_one()
    return opened


async def test_suspend_resume_and_one_extension(
    fresh_ts_env: WorkflowEnvironment, sessions: Sessions, task_queue: str
) -> None:
    env = fresh_ts_env
    cal = calendar()
    async with build_worker(env.client, sessions, task_queue):
        handle = await start_case(env.client, sessions, task_queue)
        first = await handle.query(CaseWorkflow.state)
        assert first is not None and first.deadline is not None
        due = first.deadline.due_on
        suspended = await step(handle, CaseWorkflow.suspend_deadline, "jiedao",
                               SuspendForm(reason="申请人住院，待出院后入户"))
        assert suspended.due_on == due
        await env.sleep(timedelta(days=10))
        assert await rungs(sessions, handle) == []  # a suspended clock raises no alarm
        resumed = await step(handle, CaseWorkflow.resume_deadline, "jiedao", ResumeForm())
        waited = cal.between(await _day_of(sessions, handle, "suspended"), await today(env)).days
        assert resumed.due_on == cal.add(due, waited).on  # the clock resumes where it stopped
        extended = await step(handle, CaseWorkflow.extend_deadline, "minzheng",
                              ExtendForm(working_days=2, reason="春节前入户人手不足"))
        assert resumed.due_on is not None and extended.due_on == cal.add(resumed.due_on, 2).on
        try:
            await step(handle, CaseWorkflow.extend_deadline, "minzheng", ExtendForm(working_days=1, reason="再延"))
            raise AssertionError("a second extension was accepted")
        except WorkflowUpdateFailedError as err:
            assert getattr(err.cause, "type", None) == "already_extended"
        async with sessions() as s:
            row = (await s.execute(select(CASES.c.due_on, CASES.c.extended).where(
                CASES.c.id == case_id_of(handle)))).one()
        assert (row.due_on, row.extended) == (extended.due_on, True)


async def _day_of(sessions: Sessions, handle: WorkflowHandle[Any, Any], what: str) -> date:
    """The day the deadline was suspended, from the audit trail."""
    from models.tables import AUDIT

    async with sessions() as s:
        at: datetime = (await s.execute(select(AUDIT.c.at).where(
            AUDIT.c.case_id == case_id_of(handle), AUDIT.c.action == "suspend_deadline"))).scalar_one()
    return at.astimezone(CHINA).date()


async def test_provisional_deadline_becomes_final_when_the_year_is_loaded(
    fresh_ts_env: WorkflowEnvironment, sessions: Sessions, task_queue: str
) -> None:
    env = fresh_ts_env
    cal = calendar()
    year = next(y for y in range((await today(env)).year, 2100) if not cal.published(y))
    if cal.published(year - 1):  # start three weekdays before the unpublished year begins
        last_days = [date(year - 1, 12, 31) - timedelta(days=i) for i in range(10)]
        start = [d for d in last_days if cal.is_workday(d)[0]][2]
        if start > await today(env):
            await skip_to(env, at_nine(start) + timedelta(minutes=30))
    async with build_worker(env.client, sessions, task_queue):
        handle = await start_case(env.client, sessions, task_queue)
        before = await handle.query(CaseWorkflow.state)
        assert before is not None and before.deadline is not None and before.deadline.provisional
        new_year = date(year, 1, 1)
        async with loaded_calendar(sessions, [new_year, new_year + timedelta(days=1)]):
            count = await env.client.execute_workflow(
                CalendarReloadWorkflow.run, ReloadInput(year=year), id=f"reload-{year}-{task_queue}",
                task_queue=task_queue)
            assert count >= 1
            for _ in range(50):
                after = await handle.query(CaseWorkflow.state)
                if after is not None and after.deadline is not None and not after.deadline.provisional:
                    break
                await env.sleep(timedelta(seconds=1))
            assert after is not None and after.deadline is not None and not after.deadline.provisional
            assert after.deadline.seq == before.deadline.seq  # the same deadline, recomputed
            assert after.deadline.due_on >= before.deadline.due_on
            async with sessions() as s:
                provisional = (await s.execute(select(CASES.c.due_provisional).where(
                    CASES.c.id == case_id_of(handle)))).scalar_one()
            assert provisional is False


async def test_blocked_automatic_work_waits_for_a_retry(
    fresh_ts_env: WorkflowEnvironment, sessions: Sessions, task_queue: str
) -> None:
    env = fresh_ts_env
    async with build_worker(env.client, sessions, task_queue):
        handle = await start_case(env.client, sessions, task_queue)
        state = await handle.query(CaseWorkflow.state)
        assert state is not None and state.deadline is not None
        case = CASES.c.id == case_id_of(handle)
        async with sessions.begin() as s:  # the cause: a record the escalation cannot read
            await s.execute(update(CASES).where(case).values(holder_role="nobody"))
        await skip_to(env, at_nine(state.deadline.due_on) + timedelta(hours=1))
        async with sessions() as s:
            blocked = (await s.execute(select(CASES.c.blocked_at, CASES.c.blocked_reason).where(case))).one()
        assert blocked.blocked_at is not None and "escalate" in blocked.blocked_reason
        assert (await handle.query(CaseWorkflow.state)).blocked is not None  # type: ignore[union-attr]
        assert await rungs(sessions, handle) == []

        async with sessions.begin() as s:  # the cause is fixed
            await s.execute(update(CASES).where(case).values(holder_role="township_worker"))
        await step(handle, CaseWorkflow.retry_blocked, "minzheng", RetryForm(note="已修复数据"))
        await env.sleep(timedelta(minutes=5))
        assert [r for r, _ in await rungs(sessions, handle)][-1] == "due"
        async with sessions() as s:
            cleared = (await s.execute(select(CASES.c.blocked_at).where(case))).scalar_one()
        assert cleared is None
