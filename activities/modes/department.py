"""部门联动服务 (001 三(六)3): a recipient's need referred by the county to a member unit, which acknowledges,
acts and reports the outcome under a working-day deadline (a task with the escalation ladder: reminder and due
notice to the county officer who records for the unit, overdue to the county). Each function writes in the
caller's transaction; the task's workflow is started or told after it commits (api/task_calls.py)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from activities.modes.register import Serving, end, serve
from activities.tasks.store import TaskSpec, close_task, on_time, open_of, open_task
from models.modes.linkage import DEPARTMENT_REFERRALS
from vocabulary.case import Role
from vocabulary.china import china_day
from vocabulary.modes import PartyKind, ServiceMode
from vocabulary.modes_linkage import ReferralStatus, UnitAction
from vocabulary.tasks import TaskKind

_d = DEPARTMENT_REFERRALS.c


async def refer(session: AsyncSession, *, referral_id: UUID, case: Any, unit: Any, action: UnitAction, need: str,
                actor_id: UUID, at: datetime) -> UUID:
    """The referral, its task and its line on the case; returns the task to arm."""
    # The unit is not a user: the county officer holds the task and records the unit's answers. The task has no
    # township, so the due-date notice goes to the county too (activities/tasks/deadlines.py: recipient).
    task = await open_task(session, TaskSpec(
        kind=TaskKind.DEPARTMENT_REFERRAL, subject_id=referral_id, county_code=case.county_code, township_code=None,
        holder_role=Role.COUNTY_OFFICER, scope_code=case.county_code, case_id=case.id,
        title=f"部门联动服务：{unit.name}办理{action.zh}并反馈结果（转介编号{str(referral_id)[:8]}）"), at)
    await session.execute(DEPARTMENT_REFERRALS.insert().values(
        id=referral_id, case_id=case.id, county_code=case.county_code, township_code=case.township_code,
        unit_id=unit.id, action=action.value, need=need, status=ReferralStatus.REFERRED.value, due_on=task.due_on,
        referred_by=actor_id, referred_at=at))
    await serve(session, Serving(case_id=case.id, mode=ServiceMode.DEPARTMENT, source_id=referral_id,
                                 party_kind=PartyKind.UNIT, party_name=unit.name, summary=f"{action.zh}：{need}",
                                 started_on=china_day(at)))
    return task.id


async def acknowledge(session: AsyncSession, row: Any, note: str | None, actor_id: UUID, at: datetime) -> None:
    """The unit has taken the referral (签收); the deadline runs on to its report."""
    await session.execute(update(DEPARTMENT_REFERRALS).where(_d.id == row.id).values(
        status=ReferralStatus.ACKNOWLEDGED.value, acknowledged_at=at, acknowledgement=note, recorded_by=actor_id))


async def report(session: AsyncSession, row: Any, acted_on: date, outcome: str, actor_id: UUID,
                 at: datetime) -> list[UUID]:
    """The unit's outcome: the task closes (on time or late, kept), the mode ends on the day it acted. Returns
    the tasks closed."""
    await session.execute(update(DEPARTMENT_REFERRALS).where(_d.id == row.id).values(
        status=ReferralStatus.REPORTED.value, acted_on=acted_on, outcome=outcome, reported_at=at,
        reported_on_time=on_time(at, row.due_on), recorded_by=actor_id,
        acknowledged_at=row.acknowledged_at or at))
    await end(session, ServiceMode.DEPARTMENT, row.id, acted_on, "成员单位已反馈办理结果")
    task = await open_of(session, row.id, TaskKind.DEPARTMENT_REFERRAL)
    return [task] if task is not None and await close_task(session, task, at) else []
