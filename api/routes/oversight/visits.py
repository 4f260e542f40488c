"""Satisfaction return visits (满意度回访): the county draws each month's sample; the village assistants and
township workers call the recipients and record the answer, or that they could not reach them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from sqlalchemy import select

from activities.oversight.settings import county_settings
from activities.oversight.visits import draw_month, record_visit
from api import task_calls
from api.deps import ActorDep, ResourcesDep, SessionDep
from api.errors import ApiError
from api.oversight_access import STAFF, audit, county_officer, division_scope, not_found, within
from models.oversight.complaint_schemas import VisitDrawIn, VisitDrawOut, VisitIn, VisitOut
from models.oversight.complaint_tables import VISIT_DRAWS, VISITS
from models.payloads.actor import Actor
from models.tables import CASES, PERSONS
from vocabulary.case import Role
from vocabulary.oversight import VisitStatus

router = APIRouter(prefix="/visits", tags=["满意度回访"])
_v = VISITS.c
_CALLERS = (Role.VILLAGE_ASSISTANT, Role.TOWNSHIP_WORKER)


def _select() -> Any:
    return (select(VISITS, PERSONS.c.name.label("person_name")).join(CASES, CASES.c.id == _v.case_id)
            .join(PERSONS, PERSONS.c.id == CASES.c.person_id))


async def _load(session: Any, actor: Actor, visit_id: UUID, lock: bool = False) -> Any:
    query = _select().where(_v.id == visit_id)
    row = (await session.execute(query.with_for_update(of=VISITS) if lock else query)).first()
    if row is None or not within(actor, row.village_code):
        raise not_found("回访")
    return row


@router.post("/draws", status_code=201, summary="抽取本月回访对象（每个服务供给主体按县定比例，至少一人；可复现）")
async def draw(body: VisitDrawIn, actor: ActorDep, session: SessionDep) -> VisitDrawOut:
    county = county_officer(actor)
    percent = (await county_settings(session, county))["satisfaction_share_percent"]
    draw_id = await draw_month(session, county, body.period, percent, body.seed, actor.user_id, datetime.now(UTC))
    await audit(session, actor, "visit_draw", {"draw_id": str(draw_id), "period": body.period})
    await session.commit()
    row = (await session.execute(select(VISIT_DRAWS).where(VISIT_DRAWS.c.id == draw_id))).one()
    return VisitDrawOut.model_validate(row)


@router.get("", summary="回访任务与结果（协理员看本村，乡镇看本乡镇，县看全县）")
async def list_visits(
    actor: ActorDep, session: SessionDep, period: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}$")] = None,
    status: VisitStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100, offset: Annotated[int, Query(ge=0)] = 0,
) -> list[VisitOut]:
    where = [division_scope(actor, _v.village_code, STAFF)]
    if period:
        where.append(_v.period == period)
    if status:
        where.append(_v.status == status.value)
    rows = (await session.execute(_select().where(*where).order_by(_v.period.desc(), _v.village_code, _v.id)
                                  .limit(limit).offset(offset))).all()
    return [VisitOut.model_validate(r) for r in rows]


@router.post("/{visit_id}", summary="登记回访结果：满意、基本满意、不满意（转整改或投诉），或未联系上")
async def record(visit_id: UUID, body: VisitIn, actor: ActorDep, session: SessionDep,
                 resources: ResourcesDep) -> VisitOut:
    row = await _load(session, actor, visit_id, lock=True)
    if actor.role not in _CALLERS:
        raise ApiError(403, "wrong_role", "回访由村(社区)协理员或乡镇(街道)工作人员办理")
    if row.status == VisitStatus.DONE.value:
        if row.result == (body.result.value if body.result else None):
            return VisitOut.model_validate(row)
        raise ApiError(409, "visit_done", "该回访已登记结果")
    opened = await record_visit(session, row, actor.user_id, body.reached, body.result, body.comments,
                                body.follow_up, datetime.now(UTC))
    await session.commit()
    await task_calls.started(resources, opened)
    return VisitOut.model_validate(await _load(session, actor, visit_id))
