"""Tasks outside any case (models/tasks/tables.py) as the inbox and the supervisor's view read them: SQL over
the open tasks' partial indexes, apart from the case query (which it leaves as it was). Overdue and due-soon are
derived from `due_on` on the working calendar, as for cases."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, and_, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from activities.deadlines.plan import work_calendar
from models.payloads.actor import Actor
from models.schemas import Out
from models.tasks.tables import TASKS
from vocabulary.case import Role
from vocabulary.deadlines import StuckReason as Reason
from vocabulary.tasks import TaskKind, TaskStatus

_t = TASKS.c
COUNT_CAP = 10_000


class TaskOut(Out):
    id: UUID
    kind: TaskKind
    kind_zh: str
    title: str
    subject_id: UUID
    case_id: UUID | None
    county_code: str
    township_code: str | None
    holder_role: Role
    due_on: date
    due_provisional: bool
    extended: bool
    status: TaskStatus
    opened_at: datetime
    working_days: int | None = None  # late (overdue) / left (due soon)


class TaskPage(Out):
    items: list[TaskOut]
    total: int
    total_capped: bool = False
    limit: int
    offset: int


def supervised(actor: Actor) -> ColumnElement[bool]:
    """Tasks in the actor's jurisdiction, for a supervisor (township, county, auditor)."""
    if actor.role not in (Role.TOWNSHIP_WORKER, Role.COUNTY_OFFICER, Role.AUDITOR):
        return false()
    if len(actor.jurisdiction) == 6:
        return _t.county_code == actor.jurisdiction
    if len(actor.jurisdiction) == 9:
        return _t.township_code == actor.jurisdiction
    if len(actor.jurisdiction) < 6:  # a city or province: the counties below it
        return _t.county_code.startswith(actor.jurisdiction, autoescape=True)
    return false()


def waiting_on(actor: Actor) -> ColumnElement[bool]:
    """Open tasks whose next move is this user's: their role within their jurisdiction (their provider's, for a
    provider), narrowed to them where the task names an assignee."""
    if actor.role is Role.APPLICANT:
        return false()
    mine = and_(_t.status == TaskStatus.OPEN.value, _t.holder_role == actor.role.value,
                _t.scope_code.startswith(actor.jurisdiction, autoescape=True),
                or_(_t.assignee_id.is_(None), _t.assignee_id == actor.user_id))
    if actor.role is Role.PROVIDER:
        return and_(mine, _t.provider_id == actor.provider_id)
    return mine


def task_out(row: Any, days: int | None = None) -> TaskOut:
    return TaskOut.model_validate({**row._mapping, "kind_zh": TaskKind.label(row.kind), "working_days": days})


async def page(session: AsyncSession, where: list[ColumnElement[bool]], limit: int, offset: int) -> TaskPage:
    capped = select(_t.id).where(*where).limit(COUNT_CAP + 1).subquery()
    total = (await session.execute(select(func.count()).select_from(capped))).scalar_one()
    rows = (await session.execute(select(TASKS).where(*where).order_by(_t.due_on, _t.id).limit(limit)
                                  .offset(offset))).all()
    return TaskPage(items=[task_out(r) for r in rows], total=min(total, COUNT_CAP), total_capped=total > COUNT_CAP,
                    limit=limit, offset=offset)


async def stuck_tasks(session: AsyncSession, actor: Actor, reason: Reason, working_days: int, today: date,
                      township_code: str | None, kind: TaskKind | None, limit: int, offset: int) -> TaskPage:
    """Open tasks overdue or due soon (idle and blocked are a case's reasons: a task has no automatic work)."""
    cal = await work_calendar(session)
    where = [_t.status == TaskStatus.OPEN.value, supervised(actor)]
    if township_code:
        where.append(_t.township_code == township_code)
    if kind:
        where.append(_t.kind == kind.value)
    if reason is Reason.OVERDUE:
        where.append(_t.due_on < today)
    elif reason is Reason.DUE_SOON:
        where += [_t.due_on >= today, _t.due_on <= cal.add(today, working_days).on]
    else:
        where.append(false())
    found = await page(session, where, limit, offset)
    for item in found.items:
        item.working_days = (cal.between(item.due_on, today) if reason is Reason.OVERDUE
                             else cal.between(today, item.due_on)).days
    return found
