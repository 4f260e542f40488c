"""Each user's inbox: the cases waiting on them (or on their role in their jurisdiction), with due dates,
and the escalation notices addressed to them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from sqlalchemy import ColumnElement, and_, false, func, or_, select, true
from sqlalchemy.dialects.postgresql import insert

from api.access import case_scope
from api.case_rows import CASE_COLUMNS, public
from api.deps import ActorDep, SessionDep
from api.errors import ApiError
from api.task_query import TaskPage, page
from api.task_query import waiting_on as task_waiting_on
from models.deadline_tables import NOTIFICATION_READS, NOTIFICATIONS
from models.payloads.actor import Actor
from models.schemas import CasePage, CasePublic, Out
from models.tables import CASES, PERSONS
from vocabulary.case import Role

router = APIRouter(prefix="/inbox", tags=["待办与提醒"])
_n, _r = NOTIFICATIONS.c, NOTIFICATION_READS.c


class NotificationOut(Out):
    id: UUID
    case_id: UUID | None  # a case's deadline ...
    statement_id: UUID | None  # ... or a monthly statement's approval ...
    task_id: UUID | None  # ... or a task outside any case (an objection, a rectification, a complaint)
    rung: str
    step: str
    due_on: date
    message: str
    created_at: datetime
    read: bool


def waiting_on(actor: Actor) -> ColumnElement[bool]:
    """Open cases whose next move is this user's (or, where nobody is assigned, their role's)."""
    mine = and_(CASES.c.status == "open", CASES.c.holder_role == actor.role.value, case_scope(actor))
    if actor.role is Role.TOWNSHIP_WORKER:
        return and_(mine, or_(CASES.c.assignee_id == actor.user_id, CASES.c.assignee_id.is_(None)))
    return mine


def addressed_to(actor: Actor) -> ColumnElement[bool]:
    by_role = and_(
        _n.recipient_user_id.is_(None),
        _n.recipient_role == actor.role.value,
        _n.recipient_scope.startswith(actor.jurisdiction, autoescape=True),
        true() if actor.lead else _n.lead_only.is_(False),
        _n.recipient_provider_id == actor.provider_id if actor.role is Role.PROVIDER else true(),
    )
    return or_(_n.recipient_user_id == actor.user_id, by_role if actor.role is not Role.APPLICANT else false())


@router.get("/tasks", summary="我的待办：等待我（或我所在岗位）办理的案件，按到期日排序")
async def tasks(
    actor: ActorDep, session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50, offset: Annotated[int, Query(ge=0)] = 0,
) -> CasePage:
    where = waiting_on(actor)
    total = (await session.execute(select(func.count()).select_from(CASES).where(where))).scalar_one()
    rows = (await session.execute(
        select(*CASE_COLUMNS).join(PERSONS, PERSONS.c.id == CASES.c.person_id).where(where)
        .order_by(CASES.c.due_on.asc().nulls_last(), CASES.c.updated_at).limit(limit).offset(offset)
    )).all()
    return CasePage(items=[CasePublic.model_validate(public(r)) for r in rows], total=total, limit=limit,
                    offset=offset)


@router.get("/other-tasks", summary="我的其他待办：异议核实、整改、投诉办理等不属于案件环节的事项，按到期日排序")
async def other_tasks(
    actor: ActorDep, session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50, offset: Annotated[int, Query(ge=0)] = 0,
) -> TaskPage:
    return await page(session, [task_waiting_on(actor)], limit, offset)


@router.get("/notifications", summary="我的时限提醒")
async def notifications(
    actor: ActorDep, session: SessionDep, unread: bool = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 50, offset: Annotated[int, Query(ge=0)] = 0,
) -> list[NotificationOut]:
    read = _r.read_at.is_not(None)
    stmt = (
        select(_n.id, _n.case_id, _n.statement_id, _n.task_id, _n.rung, _n.step, _n.due_on, _n.message, _n.created_at,
               read.label("read"))
        .outerjoin(NOTIFICATION_READS, and_(_r.notification_id == _n.id, _r.user_id == actor.user_id))
        .where(addressed_to(actor))
    )
    if unread:
        stmt = stmt.where(_r.read_at.is_(None))
    rows = (await session.execute(stmt.order_by(_n.created_at.desc()).limit(limit).offset(offset))).all()
    return [NotificationOut.model_validate(dict(r._mapping)) for r in rows]


@router.post("/notifications/{notification_id}/read", status_code=204, summary="标记提醒为已读")
async def mark_read(notification_id: UUID, actor: ActorDep, session: SessionDep) -> None:
    mine = (await session.execute(select(_n.id).where(_n.id == notification_id, addressed_to(actor)))).first()
    if mine is None:
        raise ApiError(404, "notification_not_found", "提醒不存在")
    await session.execute(insert(NOTIFICATION_READS).values(
        notification_id=notification_id, user_id=actor.user_id, read_at=datetime.now(UTC),
    ).on_conflict_do_nothing())
    await session.commit()
