"""Complaints and 12345 work orders (投诉 / 工单), the Anhui 12345 practice: received → accepted by whoever it is
assigned to (township, provider or county) → resolved and answered → the caller's return visit → closed, or sent
back once (发回重办) when the caller is dissatisfied and the request reasonable. Acceptance, resolution and the
return visit each run under a working-day limit (county rules) with the escalation ladder; a resolution may be
extended once on request. Each function writes in the caller's transaction and returns the tasks it closed
and opened."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from activities.oversight.rectifications import open_rectification
from activities.tasks.store import TaskSpec, close_task, extend_task, on_time, open_of, open_task
from models.oversight.complaint_tables import COMPLAINTS
from models.tasks.tables import TASKS
from vocabulary.case import Role
from vocabulary.china import china_day
from vocabulary.oversight import ComplaintStatus, Handler, RectificationSource
from vocabulary.tasks import TaskKind

_c = COMPLAINTS.c
Moved = tuple[list[UUID], list[UUID]]  # tasks closed, tasks opened


def _spec(kind: TaskKind, row: Any) -> TaskSpec:
    """Acceptance and resolution wait on the handler; the return visit on the county. Titles carry the
    complaint's number only: never the complainant."""
    role, scope, provider = Role.TOWNSHIP_WORKER, row["handler_code"], None
    if kind is TaskKind.COMPLAINT_RETURN_VISIT or row["handler"] == Handler.COUNTY.value:
        role, scope = Role.COUNTY_OFFICER, row["county_code"]
    elif row["handler"] == Handler.PROVIDER.value:
        role, scope, provider = Role.PROVIDER, row["county_code"], row["provider_id"]
    return TaskSpec(kind=kind, subject_id=row["id"], county_code=row["county_code"],
                    township_code=row["township_code"], holder_role=role, scope_code=scope, provider_id=provider,
                    case_id=row["case_id"], title=f"{kind.zh}（投诉编号{row['complaint_no']}）")


async def receive(session: AsyncSession, values: dict[str, Any], actor_id: UUID, at: datetime) -> tuple[UUID, UUID]:
    """A new complaint, waiting to be accepted by its handler: (complaint id, acceptance task id)."""
    complaint_id = uuid.uuid4()
    row = {**values, "id": complaint_id, "complaint_no": f"TS{china_day(at):%Y%m%d}-{complaint_id.hex[:6].upper()}",
           "status": ComplaintStatus.RECEIVED.value, "extended": False, "redone": False, "received_by": actor_id,
           "received_at": at}
    await session.execute(COMPLAINTS.insert().values(**row))
    task = await open_task(session, _spec(TaskKind.COMPLAINT_ACCEPTANCE, row), at)
    return complaint_id, task.id


async def _close(session: AsyncSession, row: Any, kind: TaskKind, at: datetime) -> tuple[list[UUID], Any]:
    """Close the complaint's open task of `kind`: ([its id], its due date) — ([], None) if none was open."""
    task_id = await open_of(session, row.id, kind)
    if task_id is None:
        return [], None
    due = (await session.execute(select(TASKS.c.due_on).where(TASKS.c.id == task_id))).scalar_one()
    await close_task(session, task_id, at)
    return [task_id], due


async def accept(session: AsyncSession, row: Any, at: datetime) -> Moved:
    closed, due = await _close(session, row, TaskKind.COMPLAINT_ACCEPTANCE, at)
    await session.execute(update(COMPLAINTS).where(_c.id == row.id).values(
        status=ComplaintStatus.ACCEPTED.value, accepted_at=at,
        accepted_on_time=on_time(at, due) if due is not None else None))
    task = await open_task(session, _spec(TaskKind.COMPLAINT_RESOLUTION, dict(row._mapping)), at)
    return closed, [task.id]


async def extend(session: AsyncSession, row: Any, days: int, reason: str, at: datetime) -> UUID | None:
    """The one extension of the running resolution: its task's deadline moves (a new deadline, new rungs)."""
    task_id = await open_of(session, row.id, TaskKind.COMPLAINT_RESOLUTION)
    if task_id is None:
        return None
    await extend_task(session, task_id, days, at)
    await session.execute(update(COMPLAINTS).where(_c.id == row.id).values(extended=True, extension_reason=reason))
    return task_id


async def reply(session: AsyncSession, row: Any, text: str, upheld: bool, requirement: str | None,
                actor_id: UUID, at: datetime) -> Moved:
    """The handler's answer; the county then visits the caller. A complaint found true about a provider opens
    its rectification."""
    closed, due = await _close(session, row, TaskKind.COMPLAINT_RESOLUTION, at)
    await session.execute(update(COMPLAINTS).where(_c.id == row.id).values(
        status=ComplaintStatus.REPLIED.value, reply=text, upheld=upheld, replied_at=at,
        resolved_on_time=on_time(at, due) if due is not None else None))
    opened = [(await open_task(session, _spec(TaskKind.COMPLAINT_RETURN_VISIT, dict(row._mapping)), at)).id]
    if upheld and row.provider_id is not None:
        _, task = await open_rectification(
            session, source=RectificationSource.COMPLAINT, source_id=row.id, provider_id=row.provider_id,
            county=row.county_code, township=row.township_code, case_id=row.case_id,
            requirement=requirement or f"投诉（编号{row.complaint_no}）经查属实，请整改并报告整改情况。",
            actor_id=actor_id, at=at)
        opened += [task] if task else []
    return closed, opened


async def return_visit(session: AsyncSession, row: Any, satisfied: bool, reasonable: bool, note: str | None,
                       at: datetime) -> tuple[bool, Moved]:
    """The caller's return visit: closed, or — dissatisfied, the request reasonable, not redone before — sent
    back to the handler once (发回重办) under a new resolution limit. Returns (redone, tasks)."""
    closed, _ = await _close(session, row, TaskKind.COMPLAINT_RETURN_VISIT, at)
    redo = not satisfied and reasonable and not row.redone
    values: dict[str, Any] = {"caller_satisfied": satisfied, "visit_note": note}
    if redo:
        values |= {"status": ComplaintStatus.ACCEPTED.value, "redone": True, "redo_reason": note,
                   "reply": None, "replied_at": None}
    else:
        values |= {"status": ComplaintStatus.CLOSED.value, "closed_at": at}
    await session.execute(update(COMPLAINTS).where(_c.id == row.id).values(**values))
    if not redo:
        return False, (closed, [])
    task = await open_task(session, _spec(TaskKind.COMPLAINT_RESOLUTION, dict(row._mapping)), at)
    return True, (closed, [task.id])
