"""动态管理 on one case: status events entered by the township worker or the village assistant (handed to the case
workflow as a signal), and what the case shows of its dynamic management — events, hearings, decisions, the
plan's changes, and its written documents (PDF). A foreign case answers like an absent one (404)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from fastapi import APIRouter
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert

from api.access import load_case
from api.deps import ActorDep, IdempotencyKey, ResourcesDep, SessionDep, require
from api.errors import ApiError
from api.workflow_calls import signal_status_event
from models.dynamic.schemas import CaseDynamicOut, EventOut
from models.dynamic.tables import (
    HEARINGS,
    PLAN_CHANGES,
    SERVICE_DECISIONS,
    STATUS_EVENTS,
    StatusEvent,
)
from models.payloads.dynamic import EventForm, EventRef
from models.tables import DIVISIONS, PERSONS, Case
from vocabulary.case import Role
from vocabulary.dynamic import EventSource, StatusChange
from vocabulary.people import Category

router = APIRouter(prefix="/cases/{case_id}", tags=["动态管理"])
_e = STATUS_EVENTS.c


async def visible_case(session: Any, actor: Any, case_id: UUID) -> Case:
    """The case, or 404 whether it is absent or outside the asker's jurisdiction (the two answer alike)."""
    try:
        return await load_case(session, actor, case_id, former_ok=True)
    except ApiError as err:
        raise ApiError(404, "case_not_found", "案件不存在") from err


@router.post("/status-events", status_code=202, summary="登记服务对象身份变动，形成动态管理任务")
async def record_event(case_id: UUID, body: EventForm, actor: ActorDep, session: SessionDep,
                       resources: ResourcesDep, key: IdempotencyKey = None) -> EventOut:
    require(actor, Role.TOWNSHIP_WORKER, Role.VILLAGE_ASSISTANT)
    case = await visible_case(session, actor, case_id)
    if case.village_code and not case.village_code.startswith(actor.jurisdiction):
        raise ApiError(404, "case_not_found", "案件不存在")
    if case.status != "open":
        raise ApiError(409, "case_closed", "案件已办结，不能再登记身份变动")
    if body.change is StatusChange.MOVED_WITHIN_COUNTY:
        if body.to_village is None or body.to_village[:6] != case.county_code:
            raise ApiError(422, "to_village_required", "县内迁移须填写迁入的本县村(社区)代码")
        if (await session.execute(select(DIVISIONS.c.code).where(DIVISIONS.c.code == body.to_village))).first() is None:
            raise ApiError(422, "unknown_village", "迁入的村(社区)代码未登记")
    if body.category is not None and body.category not in {c.value for c in Category}:
        raise ApiError(422, "unknown_category", "救助类别无法识别")
    if body.change is StatusChange.REVIEW_INELIGIBLE:
        raise ApiError(422, "review_only", "月度复核结果由系统登记")
    business_key = f"manual:{actor.user_id}:{key}" if key else f"manual:{uuid.uuid4()}"
    now = datetime.now(UTC)
    await session.execute(insert(StatusEvent).values(
        business_key=business_key, person_id=case.person_id, case_id=case_id, change=body.change.value,
        source=EventSource.MANUAL.value, effective_on=body.effective_on, evidence=body.evidence,
        category=body.category, to_village=body.to_village, village_code=case.village_code,
        recorded_by=actor.user_id, recorded_at=now,
    ).on_conflict_do_nothing(index_elements=["business_key"]))
    category = body.category or (Category.NONE.value if body.change is StatusChange.CATEGORY_LOST else None)
    if category is not None:  # the monthly review re-checks eligibility against what the person is now
        await session.execute(update(PERSONS).where(PERSONS.c.id == case.person_id).values(
            category=category, updated_at=now))
    row = (await session.execute(select(STATUS_EVENTS).where(_e.business_key == business_key))).one()
    await session.commit()
    await signal_status_event(resources, case_id, EventRef(event_id=row.id, change=StatusChange(row.change),
                                                    effective_on=row.effective_on, actor=actor,
                                                    to_village=row.to_village))
    return EventOut.of(row)


@router.get("/status-events", summary="案件的身份变动记录")
async def list_events(case_id: UUID, actor: ActorDep, session: SessionDep) -> list[EventOut]:
    await visible_case(session, actor, case_id)
    rows = (await session.execute(select(STATUS_EVENTS).where(_e.case_id == case_id)
                                  .order_by(_e.recorded_at, _e.id))).all()
    return [EventOut.of(r) for r in rows]


@router.get("/dynamic", summary="案件的动态管理：告知与陈述申辩、书面决定、服务方案变更")
async def dynamic_of(case_id: UUID, actor: ActorDep, session: SessionDep) -> CaseDynamicOut:
    """The notices and decisions themselves are PDFs in the case's documents (GET /cases/{id}/documents)."""
    await visible_case(session, actor, case_id)
    hearings = (await session.execute(select(HEARINGS).where(HEARINGS.c.case_id == case_id)
                                      .order_by(HEARINGS.c.seq))).all()
    decisions = (await session.execute(select(SERVICE_DECISIONS).where(SERVICE_DECISIONS.c.case_id == case_id)
                                       .order_by(SERVICE_DECISIONS.c.seq))).all()
    changes = (await session.execute(select(PLAN_CHANGES).where(PLAN_CHANGES.c.case_id == case_id)
                                     .order_by(PLAN_CHANGES.c.seq))).all()
    return CaseDynamicOut.of(hearings, decisions, changes)
