"""Opening, extending and closing tasks, in the caller's transaction (so a task and the record it is about are
written together). The deadline is counted on the working calendar under the county's rules; the task's
workflow (workflows/task.py) is started, or told of the change, after the transaction commits
(api/task_calls.py)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from activities.deadlines.plan import county_rules, work_calendar
from models.tasks.tables import TASKS
from policy import deadlines as policy
from vocabulary.case import Role
from vocabulary.china import china_day
from vocabulary.tasks import TaskKind, TaskStatus

_t = TASKS.c


@dataclass(frozen=True)
class TaskSpec:
    kind: TaskKind
    subject_id: UUID
    county_code: str
    township_code: str | None
    holder_role: Role
    scope_code: str  # the division whose holder_role must act
    title: str  # what the inbox shows: never a complainant's or a recipient's personal data
    case_id: UUID | None = None
    assignee_id: UUID | None = None
    provider_id: UUID | None = None


@dataclass(frozen=True)
class TaskRef:
    id: UUID
    due_on: date
    provisional: bool


async def open_task(session: AsyncSession, spec: TaskSpec, at: datetime, workdays: int | None = None) -> TaskRef:
    """A new open task timed by its kind's rule (or `workdays`), counted from the day it opens."""
    rules = await county_rules(session, spec.county_code)
    rule = policy.TASK_RULE[spec.kind]
    days = rules[rule] if workdays is None else workdays
    started = china_day(at)
    due = (await work_calendar(session)).add(started, days)
    task_id = uuid.uuid4()
    await session.execute(TASKS.insert().values(
        id=task_id, kind=spec.kind.value, subject_id=spec.subject_id, case_id=spec.case_id,
        county_code=spec.county_code, township_code=spec.township_code, holder_role=spec.holder_role.value,
        scope_code=spec.scope_code, assignee_id=spec.assignee_id, provider_id=spec.provider_id, title=spec.title,
        rule=rule.value, deadline_seq=1, started_on=started, workdays=days, due_on=due.on,
        due_provisional=due.provisional, extended=False, status=TaskStatus.OPEN.value, armed=False, opened_at=at,
        updated_at=at,
    ))
    return TaskRef(task_id, due.on, due.provisional)


async def open_of(session: AsyncSession, subject_id: UUID, kind: TaskKind) -> UUID | None:
    """The open task of this kind about `subject_id`, if any (locked for the caller's change)."""
    found: UUID | None = (await session.execute(
        select(_t.id).where(_t.subject_id == subject_id, _t.kind == kind.value, _t.status == TaskStatus.OPEN.value)
        .with_for_update()
    )).scalar_one_or_none()
    return found


async def close_task(session: AsyncSession, task_id: UUID, at: datetime,
                     status: TaskStatus = TaskStatus.DONE) -> bool:
    """Close an open task; False when it was not open (a repeated request)."""
    done = (await session.execute(
        update(TASKS).where(_t.id == task_id, _t.status == TaskStatus.OPEN.value)
        .values(status=status.value, closed_at=at, updated_at=at).returning(_t.id)
    )).first()
    return done is not None


async def extend_task(session: AsyncSession, task_id: UUID, workdays: int, at: datetime) -> TaskRef:
    """Once: `workdays` more on the running deadline, which becomes a new deadline (its own rungs)."""
    row = (await session.execute(select(TASKS).where(_t.id == task_id).with_for_update())).one()
    days = row.workdays + workdays
    due = (await work_calendar(session)).add(row.started_on, days)
    await session.execute(update(TASKS).where(_t.id == task_id).values(
        workdays=days, due_on=due.on, due_provisional=due.provisional, extended=True,
        deadline_seq=row.deadline_seq + 1, updated_at=at))
    return TaskRef(task_id, due.on, due.provisional)


def on_time(done_at: datetime, due_on: date) -> bool:
    return china_day(done_at) <= due_on
