"""The stuck-case query behind the supervisor's view and its exports: SQL over the projection's indexes.

Overdue and due-soon are derived from due_on and today's date on the working calendar at query time; nothing
"overdue" is ever stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Select, bindparam, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from activities.deadlines.plan import cached_calendar, work_calendar
from api.access import case_scope, scope_form, scope_value
from infra.db import Prepared, Sessions, driver_connection
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


def _values(actor: Actor, f: StuckFilter, cal: WorkCalendar, today: date) -> dict[str, Any]:
    """Every value of the request the statements compare, by parameter name. Which names are present, with the
    reason and the form of the actor's scope, decide the statements' text (`_statements`)."""
    values: dict[str, Any] = {"scope": scope_value(actor)}
    if f.county_code:
        values["county_code"] = f.county_code
    if f.township_code:
        values["township_code"] = f.township_code
    if f.step:
        values["step"] = f.step.value
    if f.assignee_id:
        values["assignee_id"] = f.assignee_id
    if f.reason in (Reason.OVERDUE, Reason.DUE_SOON):
        values["today"] = today
    if f.reason is Reason.DUE_SOON:
        values["until"] = cal.add(today, f.working_days).on
    elif f.reason is Reason.IDLE:
        values["since"] = datetime.combine(cal.subtract(today, f.working_days).on, time(0), tzinfo=CHINA)
    return values


def conditions(actor: Actor, f: StuckFilter, cal: WorkCalendar, today: date) -> list[ColumnElement[bool]]:
    # Every value of the request is a named parameter (see infra.db.Prepared); the rest are constants.
    c, values = CASES.c, _values(actor, f, cal, today)

    def v(column: Any, name: str) -> Any:
        return bindparam(name, values[name], type_=column.type)

    where: list[ColumnElement[bool]] = [c.status == "open", case_scope(actor, bind="scope")]
    for column in (c.county_code, c.township_code, c.step, c.assignee_id):
        if column.key in values:
            where.append(column == v(column, column.key))
    if f.reason is Reason.OVERDUE:
        where += [c.due_on < v(c.due_on, "today"), c.suspended_on.is_(None)]
    elif f.reason is Reason.DUE_SOON:
        where += [c.due_on >= v(c.due_on, "today"), c.due_on <= v(c.due_on, "until"), c.suspended_on.is_(None)]
    elif f.reason is Reason.IDLE:
        where.append(c.updated_at < v(c.updated_at, "since"))
    elif f.reason is Reason.UNASSIGNED:
        inactive = select(USERS.c.id).where(USERS.c.active.is_(False))
        where += [c.step.in_([s.value for s in ASSIGNED_STEPS]),
                  or_(c.assignee_id.is_(None), c.assignee_id.in_(inactive))]
    elif f.reason is Reason.URGENT_UNREVIEWED:  # 先行救助 started (or asked for) and the review not yet made
        where += [c.urgent.is_not(None), c.step.in_([s.value for s in URGENT_UNREVIEWED_STEPS])]
    else:
        where.append(c.blocked_at.is_not(None))
    return where


_ORDER = {Reason.OVERDUE: "due_on", Reason.DUE_SOON: "due_on", Reason.IDLE: "updated_at", Reason.BLOCKED: "blocked_at",
          Reason.UNASSIGNED: "updated_at", Reason.URGENT_UNREVIEWED: "updated_at"}  # then the id


def stuck_select(actor: Actor, f: StuckFilter, cal: WorkCalendar, today: date, limit: Any, offset: Any) -> Select[Any]:
    """The page: the cases first (one table, its index, the page's limit), then the names joined to those rows
    only. Said so, the planner weighs one table and then four lookups instead of a five-table join, which it
    plans again on every execution (a parameterized statement keeps custom plans here) in ~1 ms, longer than
    the page takes to read; the executed plan is the same."""
    c = CASES.c
    key = _ORDER[f.reason]
    page = (
        select(c.id, c.step, c.holder_role, c.assignee_id, c.county_code, c.township_code, c.village_code,
               c.due_on, c.due_provisional, c.updated_at, c.blocked_reason, c.suspended_on, c.person_id,
               *([c.blocked_at] if key == "blocked_at" else []))
        .where(*conditions(actor, f, cal, today)).order_by(c[key], c.id).limit(limit).offset(offset)
    ).subquery("page")
    p = page.c
    township, village = aliased(DIVISIONS), aliased(DIVISIONS)
    return (
        select(p.id, p.step, p.holder_role, p.assignee_id, p.county_code, p.township_code, p.village_code,
               p.due_on, p.due_provisional, p.updated_at, p.blocked_reason, p.suspended_on,
               PERSONS.c.name.label("person_name"), USERS.c.full_name.label("assignee_name"),
               township.c.name.label("township_name"), village.c.name.label("village_name"))
        .select_from(page)
        .join(PERSONS, PERSONS.c.id == p.person_id)
        .outerjoin(USERS, USERS.c.id == p.assignee_id)
        .outerjoin(township, township.c.code == p.township_code)
        .outerjoin(village, village.c.code == p.village_code)
        .order_by(p[key], p.id)
    )


def count_select(actor: Actor, f: StuckFilter, cal: WorkCalendar, today: date) -> Select[Any]:
    """Counted up to a cap: past it the exact figure is not worth a scan of the county."""
    capped = select(CASES.c.id).where(*conditions(actor, f, cal, today)).limit(COUNT_CAP + 1).subquery()
    return select(func.count()).select_from(capped)


def lateness(reason: Reason, due_on: date | None, updated_at: datetime, cal: WorkCalendar, today: date) -> int:
    """Working days late (overdue), left (due soon) or without a move (idle, unassigned); 0 for blocked."""
    if reason is Reason.OVERDUE:
        return cal.between(due_on, today).days  # type: ignore[arg-type]  # overdue and due soon have a due date
    if reason is Reason.DUE_SOON:
        return cal.between(today, due_on).days  # type: ignore[arg-type]
    if reason in (Reason.IDLE, Reason.UNASSIGNED, Reason.URGENT_UNREVIEWED):
        return cal.between(updated_at.astimezone(CHINA).date(), today).days
    return 0


def _lateness_of(reason: Reason, rows: Sequence[Any], cal: WorkCalendar, today: date) -> list[int]:
    """`lateness` of each row (a mapping: an asyncpg record or a SQLAlchemy row's `_mapping`)."""
    memo: dict[Any, int] = {}  # rows share due dates: count each distance in working days once
    by_due = reason in (Reason.OVERDUE, Reason.DUE_SOON)
    out = []
    for row in rows:
        due_on, updated_at = row["due_on"], row["updated_at"]
        key = due_on if by_due else updated_at.astimezone(CHINA).date()
        if key not in memo:
            memo[key] = lateness(reason, due_on, updated_at, cal, today)
        out.append(memo[key])
    return out


async def stuck_page(
    session: AsyncSession, actor: Actor, f: StuckFilter, today: date, limit: int, offset: int,
    with_total: bool = True,
) -> tuple[list[tuple[Any, int]], int | None, WorkCalendar]:
    """Through the session (the exports: up to EXPORT_LIMIT rows, in the caller's transaction)."""
    cal = await work_calendar(session)
    rows = (await session.execute(stuck_select(actor, f, cal, today, limit, offset))).all()
    total = (await session.execute(count_select(actor, f, cal, today))).scalar_one() if with_total else None
    return list(zip(rows, _lateness_of(f.reason, [r._mapping for r in rows], cal, today), strict=True)), total, cal


# The view's two statements, compiled once per form (reason, scope's form, filters given) and process.
_STATEMENTS: dict[tuple[Reason, str, frozenset[str]], tuple[Prepared, Prepared]] = {}
# The only values compared without a name: the open status, the steps of two reasons, the count's cap.
_CONSTANTS = frozenset({"open", COUNT_CAP + 1, *(s.value for s in (*ASSIGNED_STEPS, *URGENT_UNREVIEWED_STEPS))})


def _statements(actor: Actor, f: StuckFilter, cal: WorkCalendar, today: date,
                values: dict[str, Any]) -> tuple[Prepared, Prepared]:
    key = (f.reason, scope_form(actor), frozenset(values))
    found = _STATEMENTS.get(key)
    if found is None:
        page = stuck_select(actor, f, cal, today, bindparam("limit", values["limit"]),
                            bindparam("offset", values["offset"]))
        found = _STATEMENTS[key] = (Prepared(page, _CONSTANTS), Prepared(count_select(actor, f, cal, today),
                                                                           _CONSTANTS))
    return found


async def stuck_view(
    sessions: Sessions, actor: Actor, f: StuckFilter, today: date, limit: int, offset: int,
) -> tuple[list[tuple[Any, int]], int]:
    """The view's page (asyncpg records, each with its lateness) and its capped count: the same two statements
    as `stuck_page`, prepared, on the driver connection (the hot path of the supervisor's screen)."""
    cal = cached_calendar()
    if cal is None:
        async with sessions() as session:
            cal = await work_calendar(session)
    values = {**_values(actor, f, cal, today), "limit": limit, "offset": offset}
    page, count = _statements(actor, f, cal, today, values)
    async with driver_connection(sessions) as conn:
        rows = await conn.fetch(page.sql, *page.args(values))
        total = await conn.fetchval(count.sql, *count.args(values))
    return list(zip(rows, _lateness_of(f.reason, rows, cal, today), strict=True)), int(total)
