"""Objections to the public notice (异议): each becomes a verification task for the township; the result (成立 /
不成立, with reasons) is recorded, and an upheld one leads into dynamic management.

Until dynamic management's change action (a change or stop with the recipient's hearing) is in the process
table, an upheld objection raises a task for the township to start that change on the case; the change itself
is taken on the case as every other action is.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from activities.tasks.store import TaskRef, TaskSpec, close_task, open_of, open_task
from models.oversight.tables import OBJECTIONS
from models.payloads.actor import Actor
from vocabulary.case import Role
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
                           reasons: str, at: datetime) -> tuple[list[UUID], list[UUID]]:
    """Record the township's finding; close the verification; an upheld objection opens the change task.
    Returns the tasks closed and the tasks opened, for their workflows."""
    await session.execute(update(OBJECTIONS).where(OBJECTIONS.c.id == objection.id).values(
        result=result.value, result_reasons=reasons, decided_by=actor.user_id, decided_at=at))
    closed, opened = [], []
    verification = await open_of(session, objection.id, TaskKind.OBJECTION_VERIFICATION)
    if verification is not None and await close_task(session, verification, at):
        closed.append(verification)
    if result is ObjectionResult.UPHELD:
        change = await open_task(session, TaskSpec(
            kind=TaskKind.OBJECTION_CHANGE, subject_id=objection.id, county_code=objection.county_code,
            township_code=objection.township_code, holder_role=Role.TOWNSHIP_WORKER,
            scope_code=objection.township_code, case_id=objection.case_id,
            title=f"公示异议成立，依动态管理程序变更或停止服务（异议编号{str(objection.id)[:8]}）",
        ), at)
        opened.append(change.id)
    return closed, opened
