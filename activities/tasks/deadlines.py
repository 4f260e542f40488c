"""A task's deadline work, called by its workflow: the running deadline with the instants of its rungs (on the
calendar as it is now, so a year loaded since is used), and each rung's notification, written once per
(task, deadline, rung) and addressed along the same ladder as a case's."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from temporalio import activity

from activities.deadlines.plan import county_rules, work_calendar
from infra.db import Sessions
from models.deadline_tables import Notification
from models.payloads.case import DeadlinePlan, RungAt
from models.payloads.jobs import CaseIds, CasePageQuery
from models.tasks.payloads import TaskDeadlineInput, TaskEscalateInput
from models.tasks.tables import TASKS
from policy import deadlines as policy
from vocabulary.case import Role, Rung
from vocabulary.tasks import STEP_OF_KIND, TaskKind, TaskStatus
from workflows.task_activities import TaskActivities

_t = TASKS.c


def recipient(task: Any, rung: Rung) -> dict[str, Any]:
    """reminder: whoever holds the task; due: the township lead (the county for a task of no township);
    overdue: the county."""
    if rung is Rung.OVERDUE or (rung is Rung.DUE and task.township_code is None):
        return {"recipient_role": Role.COUNTY_OFFICER.value, "recipient_scope": task.county_code}
    if rung is Rung.DUE:
        return {"recipient_role": Role.TOWNSHIP_WORKER.value, "recipient_scope": task.township_code,
                "lead_only": True}
    holder = {"recipient_role": task.holder_role, "recipient_scope": task.scope_code}
    if task.assignee_id is not None:
        return holder | {"recipient_user_id": task.assignee_id}
    if task.provider_id is not None and task.holder_role == Role.PROVIDER.value:
        return holder | {"recipient_provider_id": task.provider_id}
    return holder


class TaskDeadlineActivities(TaskActivities):
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    @activity.defn
    async def task_deadline(self, job: TaskDeadlineInput) -> DeadlinePlan | None:
        async with self._sessions.begin() as session:
            row = (await session.execute(select(TASKS).where(_t.id == job.task_id).with_for_update())).one_or_none()
            if row is None or row.status != TaskStatus.OPEN.value:
                return None
            cal = await work_calendar(session)
            rules = await county_rules(session, row.county_code)
            due = cal.add(row.started_on, row.workdays)  # recounted: a calendar loaded since may move it
            await session.execute(update(TASKS).where(_t.id == job.task_id).values(
                due_on=due.on, due_provisional=due.provisional, armed=True))
        rungs = policy.rung_instants(cal, due.on, rules[policy.REMINDER_BEFORE], row.opened_at)
        return DeadlinePlan(seq=row.deadline_seq, step=STEP_OF_KIND[TaskKind(row.kind)], due_on=due.on,
                            provisional=due.provisional, extended=row.extended,
                            rungs=[RungAt(rung=Rung(k), at=v) for k, v in rungs.items()])

    @activity.defn
    async def task_escalate(self, job: TaskEscalateInput) -> bool:
        async with self._sessions.begin() as session:
            task = (await session.execute(select(TASKS).where(_t.id == job.task_id))).one()
            if task.status != TaskStatus.OPEN.value:
                return False
            if task.deadline_seq != job.deadline.seq:  # moved meanwhile: the workflow re-reads it
                return True
            provisional = "（暂按周一至周五计算，待公布节假日安排后重算）" if job.deadline.provisional else ""
            message = (f"【{job.rung.zh}】{task.title}的办理时限为{job.deadline.due_on:%Y年%m月%d日}{provisional}，"
                       "请及时办理。")
            await session.execute(insert(Notification).values(
                task_id=task.id, deadline_seq=task.deadline_seq, rung=job.rung.value, step=job.deadline.step.value,
                due_on=job.deadline.due_on, message=message, created_at=job.at, **recipient(task, job.rung),
            ).on_conflict_do_nothing(constraint="uq_notification_task_rung"))
        return True

    @activity.defn
    async def provisional_tasks(self, query: CasePageQuery) -> CaseIds:
        where = [_t.status == TaskStatus.OPEN.value, _t.due_provisional.is_(True)]
        if query.after is not None:
            where.append(_t.id > query.after)
        async with self._sessions() as session:
            ids = (await session.execute(select(_t.id).where(*where).order_by(_t.id).limit(query.limit))).scalars()
            return CaseIds(ids=list(ids))
