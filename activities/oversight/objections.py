"""Objections to the public notice (异议): each becomes a verification task for the township; the result (成立 /
不成立, with reasons) is recorded, and an upheld one leads into dynamic management.

An upheld objection about a recipient in service is a status event of their case (source 长期公示异议核实): the
case takes it in as the township's dynamic-management task, under the case's own deadline, and the change or
stop then follows the hearing path like every other (workflows/process.py). When the case is no longer in
动态管理 (closed, transferred away), a follow-up task for the township remains instead, closed by
`/objections/{id}/change-done`.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from activities.tasks.store import TaskRef, TaskSpec, close_task, open_of, open_task
from models.dynamic.tables import STATUS_EVENTS, StatusEvent
from models.oversight.tables import OBJECTIONS
from models.payloads.actor import Actor
from models.payloads.dynamic import EventRef
from models.tables import CASES
from vocabulary.case import Role, Step
from vocabulary.china import china_day
from vocabulary.dynamic import EventSource, StatusChange
from vocabulary.oversight import ObjectionChannel, ObjectionResult
from vocabulary.tasks import TaskKind


async def file_objection(session: AsyncSession, actor: Actor, publication: Any, case_id: UUID | None,
                         channel: ObjectionChannel, body: dict[str, Any], at: datetime) -> tuple[UUID, TaskRef]:
    objection_id = uuid.uuid4()
    await session.execute(OBJECTIONS.insert().values(
        id=objection_id, publication_id=publication.id, village_code=publication.village_code,
        township_code=publication.township_code, county_code=publication.county_code, case_id=case_id,
        channel=channel.value, anonymous=body["anonymous"], objector_name=body.get("objector_name"),
        objector_contact=body.get("objector_contact"), content=body["content"], received_by=actor.user_id,
        received_at=at,
    ))
    task = await open_task(session, TaskSpec(
        kind=TaskKind.OBJECTION_VERIFICATION, subject_id=objection_id, county_code=publication.county_code,
        township_code=publication.township_code, holder_role=Role.TOWNSHIP_WORKER,
        scope_code=publication.township_code, case_id=case_id,
        title=f"长期公示异议核实（第{publication.seq}期公示，编号{str(objection_id)[:8]}）",
    ), at)
    return objection_id, task


async def decide_objection(session: AsyncSession, actor: Actor, objection: Any, result: ObjectionResult,
                           reasons: str, at: datetime) -> tuple[list[UUID], list[UUID], EventRef | None]:
    """Record the township's finding; close the verification; an upheld objection reaches the case as a status
    event (or, the case no longer in 动态管理, opens the change task). Returns the tasks closed and opened, for
    their workflows, and the event to hand to the case."""
    await session.execute(update(OBJECTIONS).where(OBJECTIONS.c.id == objection.id).values(
        result=result.value, result_reasons=reasons, decided_by=actor.user_id, decided_at=at))
    closed: list[UUID] = []
    opened: list[UUID] = []
    verification = await open_of(session, objection.id, TaskKind.OBJECTION_VERIFICATION)
    if verification is not None and await close_task(session, verification, at):
        closed.append(verification)
    if result is ObjectionResult.UPHELD:
        event = await _case_event(session, actor, objection, reasons, at)
        if event is not None:
            return closed, opened, event
        change = await open_task(session, TaskSpec(
            kind=TaskKind.OBJECTION_CHANGE, subject_id=objection.id, county_code=objection.county_code,
            township_code=objection.township_code, holder_role=Role.TOWNSHIP_WORKER,
            scope_code=objection.township_code, case_id=objection.case_id,
            title=f"公示异议成立，依动态管理程序变更或停止服务（异议编号{str(objection.id)[:8]}）",
        ), at)
        opened.append(change.id)
    return closed, opened, None


def _event_key(objection_id: UUID) -> str:
    return f"objection:{objection_id}"


async def _case_event(session: AsyncSession, actor: Actor, objection: Any, reasons: str,
                      at: datetime) -> EventRef | None:
    c = CASES.c
    case = (await session.execute(select(c.person_id, c.village_code, c.step, c.status).where(
        c.id == objection.case_id))).first()
    if case is None or case.status != "open" or case.step != Step.DYNAMIC_MANAGEMENT.value:
        return None
    today = china_day(at)
    await session.execute(insert(StatusEvent).values(
        business_key=_event_key(objection.id), person_id=case.person_id, case_id=objection.case_id,
        change=StatusChange.OBJECTION_UPHELD.value, source=EventSource.OBJECTION.value, effective_on=today,
        evidence=f"公示异议核实成立：{reasons}"[:500], village_code=case.village_code, recorded_by=actor.user_id,
        recorded_at=at,
    ).on_conflict_do_nothing(index_elements=["business_key"]))
    return await objection_event(session, actor, objection.id)


async def objection_event(session: AsyncSession, actor: Actor, objection_id: UUID) -> EventRef | None:
    """The status event an upheld objection recorded, while its case has not yet taken it in (None after)."""
    e = STATUS_EVENTS.c
    row = (await session.execute(select(e.id, e.change, e.effective_on, e.case_seq).where(
        e.business_key == _event_key(objection_id)))).first()
    if row is None or row.case_seq is not None:
        return None
    return EventRef(event_id=row.id, change=StatusChange(row.change), effective_on=row.effective_on, actor=actor)
