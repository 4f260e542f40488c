"""The village records each neighbour-help service of a pairing (服务次数、服务内容); the township reviews them
(approve, or reject with a reason). Only approved records are paid, by the yearly settlement."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from sqlalchemy import ColumnElement, extract, select
from sqlalchemy.ext.asyncio import AsyncSession

from activities.modes.neighbour.records import NewRecord, record, review
from api.deps import ActorDep, SessionDep, TodayDep
from api.errors import ApiError
from api.neighbour_access import SUPERVISORS, load_pairing, refusals, sees_village, township_worker
from api.settlement_access import audit
from models.modes.neighbour import HELPERS, RECORDS, YEAR_LEDGER
from models.modes.neighbour_schemas import RecordIn, RecordOut, RecordReviewIn
from models.payloads.actor import Actor
from models.tables import CASES, PERSONS
from vocabulary.case import Role
from vocabulary.neighbour import RecordStatus

router = APIRouter(prefix="/neighbour", tags=["邻里互助服务"])
_r = RECORDS.c


def _select() -> Any:
    return (select(RECORDS, HELPERS.c.name.label("helper_name"), PERSONS.c.name.label("person_name"),
                   YEAR_LEDGER.c.statement_id)
            .join(HELPERS, HELPERS.c.id == _r.helper_id).join(CASES, CASES.c.id == _r.case_id)
            .join(PERSONS, PERSONS.c.id == CASES.c.person_id)
            .outerjoin(YEAR_LEDGER, YEAR_LEDGER.c.record_id == _r.id))


def _out(row: Any) -> RecordOut:
    return RecordOut.model_validate({**row._mapping, "status_zh": RecordStatus.label(row.status)})


async def _load(session: AsyncSession, actor: Actor, record_id: UUID) -> Any:
    row = (await session.execute(_select().where(_r.id == record_id))).first()
    if row is None or not sees_village(actor, row.township_code, row.village_code):
        raise ApiError(404, "record_not_found", "邻里互助服务记录不存在")
    return row


@router.post("/pairings/{pairing_id}/records", status_code=201,
             summary="村(社区)登记邻里互助服务（日期、内容、次数、时长）")
async def create_record(pairing_id: UUID, body: RecordIn, actor: ActorDep, session: SessionDep,
                        today: TodayDep) -> RecordOut:
    pairing = await load_pairing(session, actor, pairing_id)
    if actor.role is not Role.VILLAGE_ASSISTANT:
        raise ApiError(403, "wrong_role", "邻里互助服务由村(社区)社会救助协理员登记")
    if body.served_on > today:
        raise ApiError(422, "invalid_input", "服务日期不能晚于今天")
    if body.served_on < pairing.started_on or (pairing.ended_on is not None and body.served_on > pairing.ended_on):
        raise ApiError(422, "outside_pairing", "服务日期不在结对期间内")
    async with refusals():
        record_id = await record(session, NewRecord(
            pairing.id, pairing.helper_id, pairing.case_id, pairing.township_code, pairing.village_code,
            body.served_on, body.content, body.count, body.minutes), actor.user_id)
    await session.commit()
    return _out(await _load(session, actor, record_id))


@router.get("/records", summary="邻里互助服务记录（按状态、年度、互助员筛选）")
async def list_records(
    actor: ActorDep, session: SessionDep, status: RecordStatus | None = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None, helper_id: UUID | None = None,
    pairing_id: UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 200, offset: Annotated[int, Query(ge=0)] = 0,
) -> list[RecordOut]:
    scope: ColumnElement[bool]
    if actor.role is Role.VILLAGE_ASSISTANT:
        scope = _r.village_code.startswith(actor.jurisdiction, autoescape=True)
    elif actor.role in SUPERVISORS:
        scope = _r.township_code.startswith(actor.jurisdiction, autoescape=True)
    else:
        return []
    where = [scope]
    if status is not None:
        where.append(_r.status == status.value)
    if year is not None:
        where.append(extract("year", _r.served_on) == year)
    if helper_id is not None:
        where.append(_r.helper_id == helper_id)
    if pairing_id is not None:
        where.append(_r.pairing_id == pairing_id)
    rows = (await session.execute(_select().where(*where).order_by(_r.served_on, _r.id).limit(limit)
                                  .offset(offset))).all()
    return [_out(r) for r in rows]


@router.post("/records/{neighbour_record_id}/review",
             summary="乡镇(街道)审核邻里互助服务记录（通过，或写明理由不通过）")
async def review_record(neighbour_record_id: UUID, body: RecordReviewIn, actor: ActorDep,
                        session: SessionDep) -> RecordOut:
    record_id = neighbour_record_id
    row = await _load(session, actor, record_id)
    township_worker(actor)
    if not body.approve and not body.reason:
        raise ApiError(422, "reason_required", "审核不通过须写明理由")
    async with refusals():
        changed = await review(session, record_id, body.approve, body.reason, actor.user_id)
    if changed:
        await audit(session, actor, "neighbour_record_review", {"record_id": str(record_id), "approve": body.approve})
    await session.commit()
    return _out(await _load(session, actor, row.id))
