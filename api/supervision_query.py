"""The stuck-case query behind the supervisor's view and its exports: SQL over the projection's indexes.

Overdue and due-soon are derived from due_on and today's date on the working calendar at query time; nothing
"overdue" is ever stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from activities.deadlines.plan import work_calendar
from api.access import case_scope
from models.payloads.actor import Actor
from models.tables import CASES, DIVISIONS, PERSONS, USERS
from policy.workdays import WorkCalendar
from vocabulary.case import Step
from vocabulary.china import CHINA
from vocabulary.deadlines import StuckReason as Reason

COUNT_CAP = 10_000


# Steps in which a case has a township worker assigned (from registration until the archive is built): a case
# there without one, or with a deactivated one, was handed back to the queue and waits to be reassigned.
ASSIGNED_STEPS = (Step.SURVEY, Step.REVIEW, Step.REFERRAL, Step.SERVICE, Step.ARCHIVING)
# An urgent case is watched by the county until its review decides (a refusal closes it; an approval moves it on).
URGENT_UNREVIEWED_STEPS = (Step.REGISTRATION, Step.SURVEY, Step.REVIEW)


@dataclass(frozen=True)
class StuckFilter:
    reason: Reason
    working_days: int  # due within N (due soon) / no move for N (idle)
    county_code: str | None = None
    township_code: str | None = None
    step: Step | None = None
    assignee_id: UUID | None = None


def conditions(actor: Actor, f: StuckFilter, cal: WorkCalendar, today: date) -> list[ColumnElement[bool]]:
    c = CASES.c
    where: list[ColumnElement[bool]] = [c.status == "open", case_scope(actor)]
    if f.county_code:
        where.append(c.county_code == f.county_code)
    if f.township_code:
        where.append(c.township_code == f.township_code)
    if f.step:
        where.append(c.step == f.step.value)
    if f.assignee_id:
        where.append(c.assignee_id == f.assignee_id)
    if f.reason is Reason.OVERDUE:
        where += [c.due_on < today, c.suspended_on.is_(None)]
    elif f.reason is Reason.DUE_SOON:
        where += [c.due_on >= today, c.due_on <= cal.add(today, f.working_days).on, c.suspended_on.is_(None)]
    elif f.reason is Reason.IDLE:
        since = datetime.combine(cal.subtract(today, f.working_days).on, time(0), tzinfo=CHINA)
        where.append(c.updated_at < since)
    elif f.reason is Reason.UNASSIGNED:
        inactive = select(USERS.c.id).where(USERS.c.active.is_(False))
        where += [c.step.in_([s.value for s in ASSIGNED_STEPS]),
                  or_(c.assignee_id.is_(None), c.assignee_id.in_(inactive))]
    elif f.reason is Reason.URGENT_UNREVIEWED:  # 先行救助 started (or asked for) and the review not yet made
        where += [c.urgent.is_not(None), c.step.in_([s.value for s in URGENT_UNREVIEWED_STEPS])]
    else:
        where.append(c.blocked_at.is_not(None))
    return where


def _order(reason: Reason) -> Any:
    c = CASES.c
    return {Reason.OVERDUE: (c.due_on, c.id), Reason.DUE_SOON: (c.due_on, c.id),
            Reason.IDLE: (c.updated_at, c.id), Reason.BLOCKED: (c.blocked_at, c.id),
            Reason.UNASSIGNED: (c.updated_at, c.id), Reason.URGENT_UNREVIEWED: (c.updated_at, c.id)}[reason]


def stuck_select(actor: Actor, f: StuckFilter, cal: WorkCalendar, today: date) -> Select[Any]:
    c = CASES.c
    township, village = aliased(DIVISIONS), aliased(DIVISIONS)
    return (
        select(c.id, c.step, c.holder_role, c.assignee_id, c.county_code, c.township_code, c.village_code,
               c.due_on, c.due_provisional, c.updated_at, c.blocked_reason, c.suspended_on,
               PERSONS.c.name.label("person_name"), USERS.c.full_name.label("assignee_name"),
               township.c.name.label("township_name"), village.c.name.label("village_name"))
        .join(PERSONS, PERSONS.c.id == c.person_id)
        .outerjoin(USERS, USERS.c.id == c.assignee_id)
        .outerjoin(township, township.c.code == c.township_code)
        .outerjoin(village, village.c.code == c.village_code)
        .where(*conditions(actor, f, cal, today))
        .order_by(*_order(f.reason))
    )


def lateness(reason: Reason, row: Any, cal: WorkCalendar, today: date) -> int:
    """Working days late (overdue), left (due soon) or without a move (idle, unassigned); 0 for blocked."""
    if reason is Reason.OVERDUE:
        return cal.between(row.due_on, today).days
    if reason is Reason.DUE_SOON:
        return cal.between(today, row.due_on).days
    if reason in (Reason.IDLE, Reason.UNASSIGNED, Reason.URGENT_UNREVIEWED):
        return cal.between(row.updated_at.astimezone(CHINA).date(), today).days
    return 0


async def stuck_page(
    session: AsyncSession, actor: Actor, f: StuckFilter, today: date, limit: int, offset: int,
    with_total: bool = True,
) -> tuple[list[tuple[Any, int]], int | None, WorkCalendar]:
    cal = await work_calendar(session)
    rows = (await session.execute(stuck_select(actor, f, cal, today).limit(limit).offset(offset))).all()
    total = None
    if with_total:  # counted up to a cap: past it the exact figure is not worth a scan of the county
        capped = select(CASES.c.id).where(*conditions(actor, f, cal, today)).limit(COUNT_CAP + 1).subquery()
        total = (await session.execute(select(func.count()).select_from(capped))).scalar_one()
    memo: dict[Any, int] = {}  # rows share due dates: count each distance in working days once

    def late(row: Any) -> int:
        key = row.due_on if f.reason in (Reason.OVERDUE, Reason.DUE_SOON) else row.updated_at.astimezone(CHINA).date()
        if key not in memo:
            memo[key] = lateness(f.reason, row, cal, today)
        return memo[key]

    return [(r, late(r)) for r in rows], total, cal
