"""Objections to a publication of the long-term notice (异议): anyone may object — through the village assistant,
at the township window, or online — anonymously if they wish. Each becomes a verification task for the
township, which records the result (成立 / 不成立) with reasons; an upheld one leads into dynamic management."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response
from sqlalchemy import select

from activities.oversight.objections import decide_objection, file_objection, objection_event
from activities.tasks.store import close_task, open_of
from api import task_calls
from api.deps import ActorDep, IdempotencyKey, ResourcesDep, SessionDep
from api.errors import ApiError
from api.idempotency import request_key
from api.idempotent_writes import bind, replayed
from api.oversight_access import SUPERVISORS, audit, division_scope, not_found, within
from api.sensitive import Purpose, masked, record_read
from api.workflow_calls import signal_status_event
from models.oversight.complaint_schemas import ContactOut
from models.oversight.schemas import ObjectionDecisionIn, ObjectionIn, ObjectionOut
from models.oversight.tables import NOTICES, OBJECTIONS
from models.tasks.tables import TASKS
from vocabulary.case import Role
from vocabulary.oversight import ObjectionChannel, ObjectionResult
from vocabulary.tasks import TaskKind

router = APIRouter(tags=["长期公示"])
_o = OBJECTIONS.c
# Who may record an objection, and through which channel by default.
_CHANNEL = {Role.VILLAGE_ASSISTANT: ObjectionChannel.VILLAGE_ASSISTANT, Role.TOWNSHIP_WORKER: ObjectionChannel.WINDOW,
            Role.APPLICANT: ObjectionChannel.ONLINE}


async def _out(session: Any, row: Any) -> ObjectionOut:
    tasks = {r.kind: r for r in (await session.execute(
        select(TASKS.c.id, TASKS.c.kind, TASKS.c.due_on).where(TASKS.c.subject_id == row.id))).all()}
    verification, change = tasks.get(TaskKind.OBJECTION_VERIFICATION), tasks.get(TaskKind.OBJECTION_CHANGE)
    return ObjectionOut.model_validate({**row._mapping, "due_on": verification.due_on if verification else None,
                                        "follow_up_task_id": change.id if change else None,
                                        "objector_contact": masked(row.objector_contact)})


async def _load(session: Any, actor: Any, objection_id: UUID, lock: bool = False) -> Any:
    query = select(OBJECTIONS).where(_o.id == objection_id)
    row = (await session.execute(query.with_for_update() if lock else query)).first()
    if row is None or not within(actor, row.village_code, SUPERVISORS):
        raise not_found("异议")
    return row


@router.post("/notices/publications/{publication_id}/objections", status_code=201,
             summary="对公示提出异议（可匿名；协理员、乡镇窗口代为登记，或本人网上提出）")
async def object_to(publication_id: UUID, body: ObjectionIn, actor: ActorDep, session: SessionDep,
                    resources: ResourcesDep, response: Response, key: IdempotencyKey = None) -> ObjectionOut:
    pub = (await session.execute(select(NOTICES).where(NOTICES.c.id == publication_id))).first()
    allowed = actor.role in _CHANNEL and pub is not None and pub.village_code.startswith(actor.jurisdiction)
    if pub is None or not allowed:
        raise not_found("公示")
    request = request_key(key, f"objection {publication_id}", resources.settings.id_hash_key, body)
    if (again := await replayed(session, actor, request, response)) is not None:
        return ObjectionOut.model_validate(again)
    case_id = None
    if body.line_no is not None:
        if body.line_no > len(pub.entries):
            raise ApiError(422, "unknown_line", f"公示名单共{len(pub.entries)}行，没有第{body.line_no}行")
        case_id = UUID(pub.entries[body.line_no - 1]["case_id"])
    at = datetime.now(UTC)
    objection_id, task = await file_objection(session, actor, pub, case_id, body.channel or _CHANNEL[actor.role],
                                              body.model_dump(), at)
    out = await _out(session, (await session.execute(select(OBJECTIONS).where(_o.id == objection_id))).one())
    if (again := await bind(session, actor, request, out, response)) is not None:
        return ObjectionOut.model_validate(again)
    await session.commit()
    await task_calls.started(resources, [task.id])
    return out


@router.get("/objections", summary="公示异议列表")
async def list_objections(
    actor: ActorDep, session: SessionDep, undecided: bool = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 50, offset: Annotated[int, Query(ge=0)] = 0,
) -> list[ObjectionOut]:
    where = [division_scope(actor, _o.village_code, SUPERVISORS)]
    if undecided:
        where.append(_o.result.is_(None))
    rows = (await session.execute(select(OBJECTIONS).where(*where).order_by(_o.received_at.desc())
                                  .limit(limit).offset(offset))).all()
    return [await _out(session, r) for r in rows]


@router.get("/objections/{objection_id}", summary="公示异议详情")
async def get_objection(objection_id: UUID, actor: ActorDep, session: SessionDep) -> ObjectionOut:
    return await _out(session, await _load(session, actor, objection_id))


@router.get("/objections/{objection_id}/contact", summary="查阅异议人联系方式（须说明用途，每次查阅均记入审计日志）")
async def read_contact(objection_id: UUID, actor: ActorDep, session: SessionDep, purpose: Purpose) -> ContactOut:
    row = await _load(session, actor, objection_id)
    await record_read(session, actor, "objector_contact", purpose, objection_id=str(objection_id))
    return ContactOut(id=objection_id, name=row.objector_name, contact=row.objector_contact, purpose=purpose)


@router.post("/objections/{objection_id}/decision", summary="乡镇(街道)核实异议：成立或不成立，并说明理由")
async def decide(objection_id: UUID, body: ObjectionDecisionIn, actor: ActorDep, session: SessionDep,
                 resources: ResourcesDep) -> ObjectionOut:
    row = await _load(session, actor, objection_id, lock=True)
    if actor.role is not Role.TOWNSHIP_WORKER:
        raise ApiError(403, "wrong_role", "公示异议由乡镇(街道)社会救助工作人员核实")
    if row.result is not None:
        if row.result == body.result.value:  # the same decision sent again: deliver its event if still due
            event = await objection_event(session, actor, row.id) if row.case_id else None
            await session.commit()
            if event is not None and row.case_id is not None:
                await signal_status_event(resources, row.case_id, event)
            return await _out(session, row)
        raise ApiError(409, "objection_decided", f"该异议已核实为“{ObjectionResult.label(row.result)}”")
    if body.result is ObjectionResult.UPHELD and row.case_id is None:
        raise ApiError(422, "no_case", "异议成立须针对公示名单中的具体对象，请先确认所涉对象")
    closed, opened, event = await decide_objection(session, actor, row, body.result, body.reasons,
                                                   datetime.now(UTC))
    await session.commit()
    await task_calls.changed(resources, closed)
    await task_calls.started(resources, opened)
    if event is not None and row.case_id is not None:
        await signal_status_event(resources, row.case_id, event)
    return await _out(session, await _load(session, actor, objection_id))


@router.post("/objections/{objection_id}/change-done",
             summary="异议成立后，乡镇(街道)已依动态管理程序变更或停止服务（办结后续事项）")
async def change_done(objection_id: UUID, body: ObjectionDecisionIn, actor: ActorDep, session: SessionDep,
                      resources: ResourcesDep) -> ObjectionOut:
    """When the objection's case was no longer in 动态管理 (its event could not reach it): the township says the
    change was made (or why none was needed), and the follow-up task closes. `body.reasons` says what was done;
    `result` must be upheld."""
    row = await _load(session, actor, objection_id, lock=True)
    if actor.role is not Role.TOWNSHIP_WORKER:
        raise ApiError(403, "wrong_role", "由乡镇(街道)社会救助工作人员办理")
    if row.result != ObjectionResult.UPHELD.value or body.result is not ObjectionResult.UPHELD:
        raise ApiError(409, "objection_not_upheld", "只有成立的异议才有后续变更事项")
    task = await open_of(session, row.id, TaskKind.OBJECTION_CHANGE)
    closed = [task] if task is not None and await close_task(session, task, datetime.now(UTC)) else []
    if closed:
        await audit(session, actor, "objection_change_done", {"objection_id": str(row.id), "note": body.reasons})
    await session.commit()
    await task_calls.changed(resources, closed)
    return await _out(session, await _load(session, actor, objection_id))
