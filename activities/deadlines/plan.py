"""The deadline side of every transition, computed in the step's own transaction: which rule now runs, its
due date on the working calendar, and the escalation instants the workflow arms as timers."""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from infra.db import send
from models.deadline_tables import CALENDAR_DAYS, COUNTY_DEADLINES
from models.payloads.base import Payload
from models.payloads.case import DeadlinePlan, RungAt
from models.payloads.forms import ExtendForm
from models.payloads.jobs import Transition
from models.tables import CASES
from policy import deadlines as policy
from policy.workdays import WorkCalendar, YearSchedule, calendar
from vocabulary.case import Action, CaseStatus, Rung, Step
from vocabulary.china import china_day

_CALENDAR_TTL = 10.0
_cache: tuple[float, WorkCalendar] | None = None
# Transitions that keep the running deadline instead of starting a new one.
_SUSPENDS = frozenset({Action.RETURN_INCOMPLETE, Action.SUSPEND})
_RESUMES = frozenset({Action.RESUBMIT, Action.RESUME})
# A status event or the provider's acknowledgement joins a task already running (a quiet case starts one).
_KEEPS = frozenset({Action.REASSIGN, Action.RETRY, Action.RECOMPUTE, Action.EXTEND, Action.OPEN_TASK,
                    Action.ACKNOWLEDGE, Action.MARK_URGENT, Action.CONFIRM_URGENT}) | _SUSPENDS | _RESUMES


async def work_calendar(session: AsyncSession, fresh: bool = False) -> WorkCalendar:
    """Shipped schedules plus the years counties loaded; cached briefly (they change a few times a year)."""
    global _cache
    cached = None if fresh else cached_calendar()
    if cached is not None:
        return cached
    rows = (await session.execute(select(CALENDAR_DAYS.c.year, CALENDAR_DAYS.c.day, CALENDAR_DAYS.c.kind))).all()
    years: dict[int, tuple[set[date], set[date]]] = {}
    for row in rows:
        holidays, workdays = years.setdefault(row.year, (set(), set()))
        (holidays if row.kind == "holiday" else workdays).add(row.day)
    cal = calendar(YearSchedule(y, frozenset(h), frozenset(w)) for y, (h, w) in years.items())
    _cache = (time.monotonic(), cal)
    return cal


def cached_calendar() -> WorkCalendar | None:
    """The calendar while its brief cache holds, else None: a hot read asks this before opening a session."""
    if _cache is not None and time.monotonic() - _cache[0] < _CALENDAR_TTL:
        return _cache[1]
    return None


def forget_calendar() -> None:
    """Drop the cached calendar and rules (after loading a year or changing a county's rules)."""
    global _cache
    _cache = None
    _rules_cache.clear()


_rules_cache: dict[str, tuple[float, dict[str, int]]] = {}
# The case row's columns a deadline is computed from (not the whole row: a step reads it in its transaction).
_BASIS = (CASES.c.county_code, CASES.c.status, CASES.c.step, CASES.c.deadline_seq, CASES.c.step_started_on,
          CASES.c.step_workdays, CASES.c.intake_started_on, CASES.c.intake_workdays, CASES.c.suspended_on,
          CASES.c.extended)


_BASIS_SQL = f"SELECT {', '.join(c.name for c in _BASIS)} FROM cases WHERE id = $1"


async def basis_of(session: AsyncSession, case_id: Any) -> dict[str, Any]:
    """The case's deadline basis, read in the step's transaction (fixed SQL on the session's connection)."""
    row = (await send(session, _BASIS_SQL, case_id)).mappings().first()
    if row is None:
        raise LookupError(f"case {case_id} has no projection row")
    return dict(row)


async def county_rules(session: AsyncSession, county: str, fresh: bool = False) -> dict[str, int]:
    """A county's rules; cached as briefly as the calendar (a changed rule applies to deadlines started after)."""
    cached = _rules_cache.get(county)
    if not fresh and cached is not None and time.monotonic() - cached[0] < _CALENDAR_TTL:
        return cached[1]
    rules = policy.merged((await session.execute(
        select(COUNTY_DEADLINES.c.rules).where(COUNTY_DEADLINES.c.county_code == county)
    )).scalar_one_or_none())
    _rules_cache[county] = (time.monotonic(), rules)
    return rules


def _plan(
    cal: WorkCalendar, rules: dict[str, int], b: Mapping[str, Any], step: Step, since: datetime
) -> tuple[dict[str, Any], DeadlinePlan]:
    """Due date and rungs from a deadline's basis `b` (the case row's deadline columns)."""
    due = policy.due_date(cal, step, b["step_started_on"], b["step_workdays"], b["intake_started_on"],
                          b["intake_workdays"])
    suspended = b["suspended_on"] is not None
    rungs = [] if suspended else [
        RungAt(rung=Rung(k), at=v)
        for k, v in policy.rung_instants(cal, due.on, rules[policy.REMINDER_BEFORE], since).items()
    ]
    plan = DeadlinePlan(seq=b["deadline_seq"], step=step, due_on=due.on, provisional=due.provisional,
                        suspended=suspended, extended=b["extended"], rungs=rungs)
    return {"due_on": due.on, "due_provisional": due.provisional}, plan


async def current_plan(session: AsyncSession, case_id: Any, since: datetime, fresh: bool = False) -> tuple[
    dict[str, Any], DeadlinePlan | None
]:
    """The running deadline as stored, on the calendar as it is now (used after a retry or a calendar load)."""
    row = await basis_of(session, case_id)
    if row["status"] != CaseStatus.OPEN.value or row["deadline_seq"] is None:
        return {}, None
    cal = await work_calendar(session, fresh)
    rules = await county_rules(session, row["county_code"])
    return _plan(cal, rules, row, Step(row["step"]), since)


async def next_deadline(
    session: AsyncSession, t: Transition, form: Payload | None, fresh_calendar: bool = False
) -> tuple[dict[str, Any], DeadlinePlan | None]:
    """Projection columns for the deadline after transition `t`, and the plan the workflow arms."""
    p = t.after
    key = policy.rule_key(p.step, p.holder_role, t.action)
    if p.outcome is not None or key is None:
        return {"due_on": None, "due_provisional": False, "deadline_seq": None, "suspended_on": None}, None
    row = await basis_of(session, t.case_id)
    cal = await work_calendar(session, fresh_calendar)
    rules = await county_rules(session, row["county_code"])
    today = china_day(t.at)
    basis: dict[str, Any] = {}
    if t.action is Action.OPEN or row["intake_started_on"] is None:
        basis |= {"intake_started_on": today, "intake_workdays": rules[policy.INTAKE]}
    in_intake = p.step in policy.INTAKE_STEPS
    if t.action in _SUSPENDS and row["suspended_on"] is None:
        basis["suspended_on"] = today
    elif t.action in _RESUMES and row["suspended_on"] is not None:
        # The clock resumes where it stopped: the working days spent waiting are added to both limits.
        waited = cal.between(row["suspended_on"], today).days
        basis |= {"suspended_on": None, "step_workdays": row["step_workdays"] + waited}
        if in_intake:
            basis["intake_workdays"] = (basis.get("intake_workdays") or row["intake_workdays"]) + waited
    elif t.action is Action.EXTEND and isinstance(form, ExtendForm):
        basis |= {"extended": True, "step_workdays": row["step_workdays"] + form.working_days}
        if in_intake:
            basis["intake_workdays"] = row["intake_workdays"] + form.working_days
    elif t.action not in _KEEPS or row["deadline_seq"] is None:
        basis |= {"deadline_seq": t.seq, "step_started_on": today, "step_workdays": rules[key],
                  "suspended_on": None, "extended": False}
    columns, plan = _plan(cal, rules, {**row, **basis}, p.step, t.at)
    return basis | columns, plan
