"""What every step's activity writes besides its own record: the audit row and the case projection, with the
deadline that now runs — all in the step's one transaction.

The audit row's unique (case_id, seq) is the business key: a retried or replayed activity finds its row already
there and writes nothing again, answering with the deadline as it stands.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import datetime
from enum import Enum
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel

from activities.case.keys import bind_key
from activities.deadlines.plan import current_plan, next_deadline
from activities.modes.closing import end_modes
from infra.db import Sessions, send
from models.payloads.base import Payload
from models.payloads.case import DeadlinePlan, StepResult
from models.payloads.jobs import StepRecord, StepSaved, Transition
from models.security_tables import IDEMPOTENCY_KEYS
from models.tables import AUDIT, CASES, table_of
from vocabulary.case import Action

# A step's own writes; may return extra projection columns (e.g. the need category).
Writes = Callable[[AsyncSession], Awaitable[dict[str, Any] | None]]


async def put(session: AsyncSession, *rows: SQLModel) -> None:
    """Insert rows as Core statements, one per table, in the order given: what `session.add` did (every field,
    its defaults included), without the unit of work and the flush that cost a step more than its SQL."""
    by_table: dict[type[SQLModel], list[dict[str, Any]]] = {}
    for row in rows:
        by_table.setdefault(type(row), []).append(row.model_dump())
    for model, values in by_table.items():
        await session.execute(insert(table_of(model)).values(values))


def dump(model: Payload | None) -> dict[str, Any] | None:
    return None if model is None else model.model_dump(mode="json", exclude={"actor"})


_CLAIM = ("INSERT INTO audit_log (case_id, seq, action, actor_id, actor_role, at, after, before) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (case_id, seq) DO NOTHING RETURNING id")


async def claim(session: AsyncSession, t: Transition, form: Payload | None = None) -> bool:
    """Insert the audit row for this transition; False when an earlier attempt already wrote it."""
    after = {"position": t.after.model_dump(mode="json"), "form": dump(form)}
    before = None if t.before is None else {"position": t.before.model_dump(mode="json")}
    claimed = await send(session, _CLAIM, t.case_id, t.seq, t.action.value, t.actor.user_id, t.actor.role.value,
                         t.at, json.dumps(after), None if before is None else json.dumps(before))
    return claimed.first() is not None


async def claim_step(session: AsyncSession, record: StepRecord[Any]) -> bool:
    """`claim`, and the client's Idempotency-Key bound to this step in the same transaction. A key already bound
    to another step refuses this one (non-retryable): the request was applied before, the API answers with the
    original result from the key's row."""
    if not await claim(session, record.transition, record.form):
        return False
    await bind_key(session, record)
    return True


async def keep_answer(session: AsyncSession, record: StepRecord[Any], saved: StepSaved) -> None:
    """The answer the client's key replays: exactly what the workflow answers this step with."""
    request, t = record.request, record.transition
    if request is None:
        return
    plan = saved.deadline
    answer = StepResult(case_id=t.case_id, seq=t.seq, position=t.after, at=saved.at, service_no=saved.service_no,
                        due_on=plan.due_on if plan else None, due_provisional=bool(plan and plan.provisional))
    await session.execute(update(IDEMPOTENCY_KEYS).where(
        IDEMPOTENCY_KEYS.c.user_id == t.actor.user_id, IDEMPOTENCY_KEYS.c.key == request.key,
    ).values(answer=answer.model_dump(mode="json")))


async def project(
    session: AsyncSession, t: Transition, form: Payload | None = None, **extra: Any
) -> DeadlinePlan | None:
    """Move the projection row to where the transition leaves the case, with the deadline that now runs."""
    p = t.after
    closed = p.outcome is not None
    deadline, plan = await next_deadline(session, t, form)
    values: dict[str, Any] = {
        "step": p.step.value, "status": p.status.value, "outcome": p.outcome, "seq": t.seq,
        "holder_role": p.holder_role, "assignee_id": p.assignee_id, "provider_id": p.provider_id,
        "awaiting_applicant": p.awaiting_applicant, "updated_at": t.at,
        "closed_at": t.at if closed else None, **deadline, **extra,
    }
    if t.action is Action.RETRY or closed:
        values |= {"blocked_reason": None, "blocked_at": None}
    await set_case(session, t.case_id, values)
    return plan


async def set_case(session: AsyncSession, case_id: Any, values: dict[str, Any]) -> None:
    """UPDATE the projection row: SQL text per set of columns (a handful of shapes, each prepared once)."""
    columns = sorted(values)
    sql = _UPDATES.get(tuple(columns))
    if sql is None:
        sets = ", ".join(f"{CASES.c[c].name} = ${i}" for i, c in enumerate(columns, start=2))
        sql = _UPDATES.setdefault(tuple(columns), f"UPDATE cases SET {sets} WHERE id = $1")
    await send(session, sql, case_id, *(plain(values[c]) for c in columns))


_UPDATES: dict[tuple[str, ...], str] = {}


def plain(value: Any) -> Any:
    """What asyncpg binds: an enum as its value (SQLAlchemy's String type did this before)."""
    return value.value if isinstance(value, Enum) else value


async def save_step(sessions: Sessions, record: StepRecord[Any], writes: Writes | None = None) -> StepSaved:
    """One step in one transaction: the audit row, the step's own writes, the projection and its deadline."""
    t, form = record.transition, record.form
    async with sessions.begin() as session:
        if await claim_step(session, record):
            extra = (await writes(session) or {}) if writes is not None else {}
            await end_modes(session, t)  # a closing step ends the modes serving the person (no-op otherwise)
            plan = await project(session, t, form, **extra)
            saved = StepSaved(at=t.at, deadline=plan)
            await keep_answer(session, record, saved)
        else:  # written by an earlier attempt: answer with what it wrote (its time) and the deadline as it stands
            _, plan = await current_plan(session, t.case_id, t.at)
            saved = StepSaved(at=await written_at(session, t), deadline=plan)
    return saved


async def written_at(session: AsyncSession, t: Transition) -> datetime:
    """When the step was written: a workflow task re-run after a worker died takes the update again with a new
    `now`, but the answer (and the client's key) keep the time the step was really written."""
    at: datetime = (await session.execute(select(AUDIT.c.at).where(
        AUDIT.c.case_id == t.case_id, AUDIT.c.seq == t.seq))).scalar_one()
    return at
