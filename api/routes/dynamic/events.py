"""The status events of a jurisdiction (身份变动), across cases: a village assistant sees its village's, a township
worker its township's, a county officer or auditor the county's — by the village the person lived in when the
event was recorded. Each row names the person (never the ID number) and links to its case, if any."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import func, select

from api.deps import ActorDep, SessionDep, require
from api.errors import ApiError
from models.dynamic.schemas import EventPage, EventRow
from models.dynamic.tables import STATUS_EVENTS
from models.tables import DIVISIONS, PERSONS
from vocabulary.case import Role
from vocabulary.dynamic import EventSource, StatusChange

router = APIRouter(prefix="/dynamic", tags=["动态管理"])
_e = STATUS_EVENTS.c


@router.get("/status-events", summary="身份变动记录(按变动类型、来源、是否已纳入案件办理、变动日期筛选，分页)")
async def list_events(actor: ActorDep, session: SessionDep,
                      change: StatusChange | None = None, source: EventSource | None = None,
                      taken_in: bool | None = None,
                      effective_from: date | None = None, effective_to: date | None = None,
                      limit: Annotated[int, Query(ge=1, le=200)] = 50,
                      offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> EventPage:
    require(actor, Role.VILLAGE_ASSISTANT, Role.TOWNSHIP_WORKER, Role.COUNTY_OFFICER, Role.AUDITOR)
    if effective_from and effective_to and effective_from > effective_to:
        raise ApiError(422, "bad_date_range", "变动日期的起始日期不能晚于截止日期")
    where = [_e.village_code.startswith(actor.jurisdiction, autoescape=True)]
    if change is not None:
        where.append(_e.change == change.value)
    if source is not None:
        where.append(_e.source == source.value)
    if taken_in is not None:
        where.append(_e.case_seq.is_not(None) if taken_in else _e.case_seq.is_(None))
    if effective_from is not None:
        where.append(_e.effective_on >= effective_from)
    if effective_to is not None:
        where.append(_e.effective_on <= effective_to)
    total = (await session.execute(select(func.count()).select_from(STATUS_EVENTS).where(*where))).scalar_one()
    rows = (await session.execute(
        select(STATUS_EVENTS, PERSONS.c.name.label("person_name"), DIVISIONS.c.name.label("village_name"))
        .join(PERSONS, PERSONS.c.id == _e.person_id).outerjoin(DIVISIONS, DIVISIONS.c.code == _e.village_code)
        .where(*where).order_by(_e.recorded_at.desc(), _e.id).limit(limit).offset(offset))).all()
    return EventPage(items=[EventRow.row(r) for r in rows], total=total, limit=limit, offset=offset)
