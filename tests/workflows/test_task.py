"""A task outside any case (here a provider's rectification) under its working-day deadline: each escalation rung
fires once, at its instant on the official calendar — to the provider, then the township lead, then the county —
and a task closed in time raises none."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from activities.oversight.rectifications import open_rectification, submit_report
from infra.db import Sessions
from models.deadline_tables import NOTIFICATIONS
from models.oversight.tables import RECTIFICATIONS
from models.tasks.payloads import TaskStart
from models.tasks.tables import TASKS
from tests import oracle
from tests.conftest import time_skipping
from tests.world import World
from vocabulary.oversight import RectificationSource
from worker import build_worker
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
