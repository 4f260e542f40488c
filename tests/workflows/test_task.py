"""A task outside any case (here a provider's rectification) under its working-day deadline: each escalation rung
fires once, at its instant on the official calendar — to the provider, then the township lead, then the county —
and a task closed in time raises none."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from temporalio.client import Client, WorkflowHistory
from temporalio.worker import Replayer, Worker

from activities.deadlines.plan import forget_calendar
from activities.oversight.rectifications import open_rectification, submit_report
from infra.db import Sessions
from models.deadline_tables import CALENDAR_DAYS, CALENDAR_YEARS, NOTIFICATIONS
from models.oversight.tables import RECTIFICATIONS
from models.payloads.jobs import ReloadInput
from models.tasks.payloads import TaskStart
from models.tasks.tables import TASKS
from policy.workdays import YearSchedule, calendar
from tests import oracle
from tests.conftest import time_skipping
from tests.world import World
from vocabulary.oversight import RectificationSource
from worker import build_worker
from workflows.calendar_reload import CalendarReloadWorkflow
from workflows.task import TaskWorkflow, task_workflow_id

RECTIFICATION_DAYS = 10  # the documented default of policy/deadlines.py


async def test_a_late_rectification_climbs_the_ladder_once(sessions: Sessions, world: World, task_queue: str) -> None:
    # Opened on the Monday before National Day: ten working days reach past the holiday, to 16 October.
    opened = datetime(2026, 9, 28, 10, tzinfo=oracle.CHINA)
    due = oracle.add(opened.date(), RECTIFICATION_DAYS)[0]
    assert due == date(2026, 10, 16)
    expected = [("reminder", oracle.subtract(due, 2)), ("due", due), ("overdue", oracle.add(due, 1)[0])]
    tasks = []
    async with sessions.begin() as s:
        for _ in range(2):
            _, task = await open_rectification(
                s, source=RectificationSource.SPOT_CHECK, source_id=uuid.uuid4(), provider_id=world.provider_a,
                county=world.county, township=world.township, case_id=None, requirement="整改服务质量",
                actor_id=uuid.uuid4(), at=opened)
            tasks.append(task)
    late, prompt = tasks
    assert late is not None and prompt is not None
    overdue_at = datetime.combine(expected[-1][1], time(9), tzinfo=oracle.CHINA)

    async with time_skipping(opened) as env, build_worker(env.client, sessions, task_queue):
        handles = [await env.client.start_workflow(TaskWorkflow.run, TaskStart(task_id=t), id=task_workflow_id(t),
                                                   task_queue=task_queue) for t in tasks]
        async with sessions.begin() as s:  # the prompt one reports the next day
            subject = (await s.execute(select(TASKS.c.subject_id).where(TASKS.c.id == prompt))).scalar_one()
            rect = (await s.execute(select(RECTIFICATIONS).where(RECTIFICATIONS.c.id == subject))).one()
            await submit_report(s, rect, "已整改", opened + timedelta(days=1))
        await handles[1].signal(TaskWorkflow.changed)
        await handles[1].result()  # the closed task's workflow ends
        await env.sleep(overdue_at + timedelta(days=3) - await env.get_current_time())
        async with sessions() as s:
            sent = (await s.execute(select(NOTIFICATIONS).where(NOTIFICATIONS.c.task_id.in_(tasks))
                                    .order_by(NOTIFICATIONS.c.created_at))).all()
            stored = (await s.execute(select(TASKS.c.due_on, TASKS.c.armed).where(TASKS.c.id == late))).one()
        histories = [await h.fetch_history() for h in handles]
        await handles[0].terminate("test over")
    # The histories replay on this code (as those of open tasks must after a change), round-tripped through JSON.
    replayer = Replayer(workflows=[TaskWorkflow], data_converter=env.client.data_converter)
    for history in histories:
        await replayer.replay_workflow(WorkflowHistory.from_json(history.workflow_id, history.to_json_dict()))

    assert (stored.due_on, stored.armed) == (due, True)
    assert all(n.task_id == late for n in sent)
    assert [(n.rung, n.recipient_role, n.lead_only, n.recipient_provider_id) for n in sent] == [
        ("reminder", "provider", False, world.provider_a), ("due", "township_worker", True, None),
        ("overdue", "county_officer", False, None)]
    assert [n.recipient_scope for n in sent] == [world.county, world.township, world.county]
    for row, (_, day) in zip(sent, expected, strict=True):
        want = datetime.combine(day, time(9), tzinfo=oracle.CHINA)
        assert abs(row.created_at - want) < timedelta(minutes=1), (row.rung, row.created_at)
    assert "服务整改" in sent[0].message and "2026年10月16日" in sent[0].message


async def test_a_provisional_due_date_is_recounted_when_its_year_is_loaded(
    client: Client, sessions: Sessions, world: World, task_queue: str, worker: Worker,
) -> None:
    year = next(y for y in range(2026, 2100) if not calendar().published(y))
    opened = datetime(year - 1, 12, 28, 10, tzinfo=oracle.CHINA)
    async with sessions.begin() as s:
        _, task_id = await open_rectification(
            s, source=RectificationSource.SPOT_CHECK, source_id=uuid.uuid4(), provider_id=world.provider_a,
            county=world.county, township=world.township, case_id=None, requirement="整改", actor_id=uuid.uuid4(),
            at=opened)
    assert task_id is not None
    async with sessions() as s:
        before = (await s.execute(select(TASKS.c.due_on, TASKS.c.due_provisional).where(TASKS.c.id == task_id))).one()
    assert before.due_provisional  # counted on weekdays into a year with no published schedule
    handle = await client.start_workflow(TaskWorkflow.run, TaskStart(task_id=task_id), id=task_workflow_id(task_id),
                                         task_queue=task_queue)
    holidays = [date(year, 1, d) for d in range(1, 32) if date(year, 1, d).weekday() < 5][:5]
    for _ in range(100):  # armed on the weekday count first
        async with sessions() as s:
            if (await s.execute(select(TASKS.c.armed).where(TASKS.c.id == task_id))).scalar_one():
                break
        await asyncio.sleep(0.1)
    try:
        async with sessions.begin() as s:
            await s.execute(CALENDAR_YEARS.insert().values(year=year, notice="测试", loaded_by=uuid.uuid4(),
                                                           loaded_at=opened))
            await s.execute(CALENDAR_DAYS.insert(), [{"day": d, "year": year, "kind": "holiday"} for d in holidays])
        forget_calendar()
        reload = await client.execute_workflow(CalendarReloadWorkflow.run, ReloadInput(year=year),
                                               id=f"reload-{uuid.uuid4()}", task_queue=task_queue)
        assert reload >= 1
        for _ in range(100):
            async with sessions() as s:
                after = (await s.execute(select(TASKS.c.due_on, TASKS.c.due_provisional)
                                         .where(TASKS.c.id == task_id))).one()
            if not after.due_provisional:
                break
            await asyncio.sleep(0.1)
        cal = calendar([YearSchedule(year, frozenset(holidays), frozenset())])
        assert (after.due_on, after.due_provisional) == (cal.add(opened.date(), RECTIFICATION_DAYS).on, False)
        assert after.due_on > before.due_on  # five weekdays of holiday later
    finally:
        await handle.terminate("test over")
        async with sessions.begin() as s:
            await s.execute(CALENDAR_DAYS.delete().where(CALENDAR_DAYS.c.year == year))
            await s.execute(CALENDAR_YEARS.delete().where(CALENDAR_YEARS.c.year == year))
        forget_calendar()
