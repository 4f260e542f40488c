"""Complaints and 12345 work orders (投诉 / 工单): intake by work-order number, window, online or letter; assigned to
a township, a provider or the county; accepted, answered within working-day limits (one extension on request);
the caller's return visit; one 发回重办. An anonymous or confidential complainant is never shown to a provider."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response
from sqlalchemy import ColumnElement, and_, false, or_, select

from activities.deadlines.plan import county_rules
from activities.oversight import complaints as flow
from api import task_calls
from api.access import in_scope
from api.deps import ActorDep, IdempotencyKey, ResourcesDep, SessionDep
from api.errors import ApiError
from api.idempotency import request_key
from api.idempotent_writes import bind, replayed
from api.oversight_access import county_officer, not_found
from api.sensitive import Purpose, masked, record_read
from models.oversight.complaint_schemas import (
    ComplaintIn,
    ComplaintOut,
    ContactOut,
    ExtensionIn,
    ReplyIn,
    ReturnVisitIn,
)
from models.oversight.complaint_tables import COMPLAINTS
from models.payloads.actor import Actor
from models.tables import CASES, PROVIDERS
from models.tasks.tables import TASKS
from vocabulary.case import Role
from vocabulary.deadlines import DeadlineRule
from vocabulary.oversight import ComplaintStatus, Handler
from vocabulary.tasks import TaskStatus

router = APIRouter(prefix="/complaints", tags=["投诉与12345工单"])
_c = COMPLAINTS.c


def _scope(actor: Actor) -> ColumnElement[bool]:
    if actor.role is Role.PROVIDER:  # what is assigned to it
        return and_(_c.provider_id == actor.provider_id, _c.handler == Handler.PROVIDER.value)
    if actor.role in (Role.COUNTY_OFFICER, Role.AUDITOR) and len(actor.jurisdiction) == 6:
        return _c.county_code == actor.jurisdiction
    if actor.role is Role.TOWNSHIP_WORKER:
        return or_(_c.township_code == actor.jurisdiction, _c.handler_code == actor.jurisdiction)
    return false()


async def _out(session: Any, actor: Actor, row: Any) -> ComplaintOut:
    data = dict(row._mapping)
    # The contact masked (read in full through GET /complaints/{id}/contact, recorded: PIPL).
    data["complainant_contact"] = masked(row.complainant_contact)
    if actor.role is Role.PROVIDER:  # never the complainant's contact; the name only when it may be known
        data["complainant_contact"] = None
        if row.anonymous or row.confidential:
            data["complainant_name"] = None
    due = (await session.execute(select(TASKS.c.due_on).where(TASKS.c.subject_id == row.id, TASKS.c.status ==
                                                              TaskStatus.OPEN.value))).scalars().first()
    return ComplaintOut.model_validate({**data, "status_zh": ComplaintStatus.label(row.status), "due_on": due})


async def _load(session: Any, actor: Actor, complaint_id: UUID, lock: bool = False) -> Any:
    query = select(COMPLAINTS).where(_c.id == complaint_id, _scope(actor))
    row = (await session.execute(query.with_for_update() if lock else query)).first()
    if row is None:
        raise not_found("投诉")
    return row


def _handles(actor: Actor, row: Any) -> None:
    """The handler it is assigned to acts on it: its township, its provider, or the county."""
    ok = {Handler.TOWNSHIP.value: actor.role is Role.TOWNSHIP_WORKER and actor.jurisdiction == row.handler_code,
          Handler.PROVIDER.value: actor.role is Role.PROVIDER and actor.provider_id == row.provider_id,
          Handler.COUNTY.value: actor.role is Role.COUNTY_OFFICER and actor.jurisdiction == row.county_code}
    if not ok[row.handler]:
        raise ApiError(403, "not_handler", "该投诉由承办单位办理")


def _state(row: Any, *allowed: ComplaintStatus) -> None:
    if row.status not in {s.value for s in allowed}:
        raise ApiError(409, "complaint_state", f"投诉当前为“{ComplaintStatus.label(row.status)}”，不能办理此操作")


@router.post("", status_code=201, summary="登记投诉或12345工单（可匿名、可要求保密），并指定承办单位")
async def receive(body: ComplaintIn, actor: ActorDep, session: SessionDep, resources: ResourcesDep,
                  response: Response, key: IdempotencyKey = None) -> ComplaintOut:
    if actor.role not in (Role.COUNTY_OFFICER, Role.TOWNSHIP_WORKER) or len(actor.jurisdiction) not in (6, 9):
        raise ApiError(403, "wrong_role", "投诉由县级民政部门或乡镇(街道)登记")
    request = request_key(key, "complaint", resources.settings.id_hash_key, body)
    if (again := await replayed(session, actor, request, response)) is not None:
        return ComplaintOut.model_validate(again)
    county = actor.jurisdiction[:6]
    if body.work_order_no:  # the same work order again: the complaint already kept
        same = (await session.execute(select(COMPLAINTS).where(
            _c.county_code == county, _c.work_order_no == body.work_order_no))).first()
        if same is not None:
            response.status_code = 200
            return await _out(session, actor, await _load(session, actor, same.id))
    township, provider = body.township_code, body.provider_id
    if body.case_id is not None:
        case = (await session.execute(select(CASES).where(CASES.c.id == body.case_id))).first()
        if case is None or not in_scope(actor, case):
            raise not_found("案件")
        township, provider = case.township_code, provider or case.provider_id
    if actor.role is Role.TOWNSHIP_WORKER:
        township = township or actor.jurisdiction
    if township is not None and (township[:6] != county or (
            actor.role is Role.TOWNSHIP_WORKER and township != actor.jurisdiction)):
        raise ApiError(422, "bad_township", "乡镇(街道)不在您的管辖范围内")
    if provider is not None and (await session.execute(select(PROVIDERS.c.id).where(
            PROVIDERS.c.id == provider, PROVIDERS.c.county_code == county))).first() is None:
        raise ApiError(422, "unknown_provider", "服务供给主体不存在或不在本县")
    handler_code = {Handler.TOWNSHIP: township, Handler.PROVIDER: county, Handler.COUNTY: county}[body.handler]
    if handler_code is None or (body.handler is Handler.PROVIDER and provider is None):
        raise ApiError(422, "no_handler", "请指明承办的乡镇(街道)或服务供给主体")
    values = body.model_dump(exclude={"township_code", "provider_id"}) | {
        "county_code": county, "township_code": township, "provider_id": provider, "handler_code": handler_code}
    complaint_id, task = await flow.receive(session, values, actor.user_id, datetime.now(UTC))
    out = await _out(session, actor, await _load(session, actor, complaint_id))
    if (again := await bind(session, actor, request, out, response)) is not None:
        return ComplaintOut.model_validate(again)  # the same request, sent at the same time, was kept first
    await session.commit()
    await task_calls.started(resources, [task])
    return out


@router.get("", summary="投诉与工单列表")
async def list_complaints(
    actor: ActorDep, session: SessionDep, status: ComplaintStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50, offset: Annotated[int, Query(ge=0)] = 0,
) -> list[ComplaintOut]:
    where = [_scope(actor)] + ([_c.status == status.value] if status else [])
    rows = (await session.execute(select(COMPLAINTS).where(*where).order_by(_c.received_at.desc())
                                  .limit(limit).offset(offset))).all()
    return [await _out(session, actor, r) for r in rows]


@router.get("/{complaint_id}", summary="投诉详情")
async def get_complaint(complaint_id: UUID, actor: ActorDep, session: SessionDep) -> ComplaintOut:
    return await _out(session, actor, await _load(session, actor, complaint_id))


@router.get("/{complaint_id}/contact", summary="查阅投诉人联系方式（须说明用途，每次查阅均记入审计日志）")
async def read_contact(complaint_id: UUID, actor: ActorDep, session: SessionDep, purpose: Purpose) -> ContactOut:
    row = await _load(session, actor, complaint_id)
    if actor.role is Role.PROVIDER:
        raise ApiError(403, "wrong_role", "服务供给主体不能查阅投诉人联系方式")
    await record_read(session, actor, "complainant_contact", purpose, complaint_id=str(complaint_id))
    return ContactOut(id=complaint_id, name=row.complainant_name, contact=row.complainant_contact, purpose=purpose)


async def _moved(session: Any, resources: Any, actor: Actor, complaint_id: UUID,
                 moved: tuple[list[UUID], list[UUID]]) -> ComplaintOut:
    await session.commit()
    await task_calls.changed(resources, moved[0])
    await task_calls.started(resources, moved[1])
    return await _out(session, actor, await _load(session, actor, complaint_id))


@router.post("/{complaint_id}/acceptance", summary="承办单位受理")
async def accept(complaint_id: UUID, actor: ActorDep, session: SessionDep, resources: ResourcesDep) -> ComplaintOut:
    row = await _load(session, actor, complaint_id, lock=True)
    _handles(actor, row)
    if row.status != ComplaintStatus.RECEIVED.value:  # accepted already: the same click again
        return await _out(session, actor, row)
    return await _moved(session, resources, actor, complaint_id, await flow.accept(session, row, datetime.now(UTC)))


@router.post("/{complaint_id}/extension", summary="延期办理（承办单位申请，县级民政部门批准，限一次）")
async def extend(complaint_id: UUID, body: ExtensionIn, actor: ActorDep, session: SessionDep,
                 resources: ResourcesDep) -> ComplaintOut:
    row = await _load(session, actor, complaint_id, lock=True)
    county_officer(actor)
    _state(row, ComplaintStatus.ACCEPTED)
    if row.extended:
        raise ApiError(409, "already_extended", "该投诉已延期一次，不能再延期")
    limit = (await county_rules(session, row.county_code))[DeadlineRule.COMPLAINT_EXTENSION_MAX]
    if body.working_days > limit:
        raise ApiError(422, "extension_too_long", f"延期不能超过{limit}个工作日")
    task = await flow.extend(session, row, body.working_days, body.reason, datetime.now(UTC))
    return await _moved(session, resources, actor, complaint_id, ([task] if task else [], []))


@router.post("/{complaint_id}/reply", summary="承办单位办结答复（并认定投诉是否查实）")
async def reply(complaint_id: UUID, body: ReplyIn, actor: ActorDep, session: SessionDep,
                resources: ResourcesDep) -> ComplaintOut:
    row = await _load(session, actor, complaint_id, lock=True)
    _handles(actor, row)
    if row.status == ComplaintStatus.REPLIED.value and row.reply == body.reply:
        return await _out(session, actor, row)
    _state(row, ComplaintStatus.ACCEPTED)
    moved = await flow.reply(session, row, body.reply, body.upheld, body.requirement, actor.user_id, datetime.now(UTC))
    return await _moved(session, resources, actor, complaint_id, moved)


@router.post("/{complaint_id}/return-visit", summary="回访投诉人：满意办结；不满意且诉求合理的发回重办一次")
async def return_visit(complaint_id: UUID, body: ReturnVisitIn, actor: ActorDep, session: SessionDep,
                       resources: ResourcesDep) -> ComplaintOut:
    row = await _load(session, actor, complaint_id, lock=True)
    county_officer(actor)
    _state(row, ComplaintStatus.REPLIED)
    _, moved = await flow.return_visit(session, row, body.satisfied, body.reasonable, body.note, datetime.now(UTC))
    return await _moved(session, resources, actor, complaint_id, moved)
