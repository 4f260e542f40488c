"""The screening of new recipients (需求摸排): each village assistant's list from the month's roster, the need
they record (which opens a discovery case, channel 动态监测) or "no need now" with a reason, and the monthly
report per village or township. Jurisdiction on every read and write; foreign and absent answer alike (404)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from sqlalchemy import select, text, update

from api import workflow_calls
from api.access import in_scope
from api.deps import ActorDep, IdempotencyKey, ResourcesDep, SessionDep, TodayDep, require
from api.errors import ApiError
from models.dynamic.schemas import NeedIn, NoNeedIn, ReportRow, ScreeningOut
from models.dynamic.tables import SCREENINGS
from models.payloads.forms import OpenForm
from models.tables import CASES, DIVISIONS, PERSONS
from vocabulary.case import CaseStatus, Channel, Role
from vocabulary.dynamic import ScreeningStatus

router = APIRouter(prefix="/dynamic", tags=["动态管理"])
_s = SCREENINGS.c
_STAFF = (Role.VILLAGE_ASSISTANT, Role.TOWNSHIP_WORKER, Role.COUNTY_OFFICER, Role.AUDITOR)


def _columns() -> Any:
    return select(SCREENINGS, PERSONS.c.name.label("person_name"), PERSONS.c.category,
                  DIVISIONS.c.name.label("village_name")).join(PERSONS, PERSONS.c.id == _s.person_id).outerjoin(
        DIVISIONS, DIVISIONS.c.code == _s.village_code)


@router.get("/screenings", summary="需求摸排清单：动态监测新纳入对象，协理员逐一了解服务需求")
async def screenings(actor: ActorDep, session: SessionDep, today: TodayDep,
                     status: ScreeningStatus | None = None, period: Annotated[str | None, Query(
                         pattern=r"^\d{4}-\d{2}$")] = None,
                     limit: Annotated[int, Query(ge=1, le=500)] = 100,
                     offset: Annotated[int, Query(ge=0)] = 0) -> list[ScreeningOut]:
    require(actor, *_STAFF)
    query = _columns().where(_s.village_code.startswith(actor.jurisdiction, autoescape=True))
    if status is not None:
        query = query.where(_s.status == status.value)
    if period is not None:
        query = query.where(_s.period == period)
    rows = (await session.execute(query.order_by(_s.due_on, _s.village_code, _s.id).limit(limit).offset(offset))).all()
    return [ScreeningOut.of(r, today) for r in rows]


async def _mine(session: Any, actor: Any, screening_id: UUID) -> Any:
    require(actor, Role.VILLAGE_ASSISTANT)
    row = (await session.execute(_columns().where(_s.id == screening_id).with_for_update(of=SCREENINGS))).one_or_none()
    if row is None or not row.village_code.startswith(actor.jurisdiction):
        raise ApiError(404, "screening_not_found", "摸排对象不存在")
    return row


@router.post("/screenings/{screening_id}/need", summary="记录服务需求：转入主动发现，新建案件(渠道：动态监测)")
async def record_need(screening_id: UUID, body: NeedIn, actor: ActorDep, session: SessionDep,
                      resources: ResourcesDep, today: TodayDep, key: IdempotencyKey = None) -> ScreeningOut:
    row = await _mine(session, actor, screening_id)
    if row.status == ScreeningStatus.NEED.value:
        return ScreeningOut.of(row, today)  # recorded already (a double click): the case it opened
    if row.status != ScreeningStatus.PENDING.value:
        raise ApiError(409, "screened", "该对象已登记为暂无服务需求")
    existing = (await session.execute(select(CASES).where(
        CASES.c.person_id == row.person_id, CASES.c.status == CaseStatus.OPEN.value))).first()
    open_case = existing.id if existing is not None else None
    case_id = uuid.uuid5(uuid.NAMESPACE_URL, f"assistflow:screening:{screening_id}")
    if existing is not None and open_case != case_id:
        # Named only to someone who may see it: a refusal never reveals another township's case (issue #11).
        details = {"case_id": str(open_case)} if in_scope(actor, existing) else None
        raise ApiError(409, "duplicate_open_case", "该对象已有正在办理的案件", details)
    await session.rollback()  # no lock held while the workflow works
    if open_case is None:
        form = OpenForm(person_id=row.person_id, village_code=row.village_code, channel=Channel.MONITORING,
                        need_description=body.need_description)
        try:  # the case id is the screening's: a second attempt finds the case opened by the first
            await workflow_calls.open_case(resources, case_id, actor, form)
        except ApiError as err:
            if err.code != "already_open":
                raise
    await session.execute(update(SCREENINGS).where(_s.id == screening_id).values(
        status=ScreeningStatus.NEED.value, reason=body.need_description, case_id=case_id,
        screened_by=actor.user_id, screened_at=datetime.now(UTC)))
    await session.commit()
    return ScreeningOut.of((await session.execute(_columns().where(_s.id == screening_id))).one(), today)


@router.post("/screenings/{screening_id}/no-need", summary="登记暂无服务需求(须说明原因)")
async def record_no_need(screening_id: UUID, body: NoNeedIn, actor: ActorDep, session: SessionDep,
                         today: TodayDep) -> ScreeningOut:
    row = await _mine(session, actor, screening_id)
    if row.status == ScreeningStatus.NEED.value:
        raise ApiError(409, "screened", "该对象已登记服务需求并转入主动发现")
    await session.execute(update(SCREENINGS).where(_s.id == screening_id).values(
        status=ScreeningStatus.NO_NEED.value, reason=body.reason, screened_by=actor.user_id,
        screened_at=datetime.now(UTC)))
    await session.commit()
    return ScreeningOut.of((await session.execute(_columns().where(_s.id == screening_id))).one(), today)


_REPORT = text("""
WITH s AS (
    SELECT left(village_code, :width) AS code, count(*) AS new_recipients,
           count(*) FILTER (WHERE status <> 'pending') AS screened,
           count(*) FILTER (WHERE status = 'pending') AS pending,
           count(*) FILTER (WHERE status = 'pending' AND due_on < :today) AS overdue,
           count(*) FILTER (WHERE status = 'need') AS cases_opened
    FROM screenings WHERE period = :period AND starts_with(village_code, :scope) GROUP BY 1
), e AS (
    SELECT left(e.village_code, :width) AS code, count(DISTINCT e.person_id) AS exited,
           count(DISTINCT e.person_id) FILTER (WHERE c.status = 'closed') AS exited_stopped,
           count(DISTINCT e.person_id) FILTER (WHERE c.status = 'open' AND c.holder_role = 'applicant')
               AS exited_in_hearing
    FROM status_events e LEFT JOIN cases c ON c.id = e.case_id
    WHERE e.change IN ('category_lost', 'death', 'moved_out') AND to_char(e.effective_on, 'YYYY-MM') = :period
      AND starts_with(e.village_code, :scope)
    GROUP BY 1
)
SELECT COALESCE(s.code, e.code) AS code, d.name, COALESCE(s.new_recipients, 0) AS new_recipients,
       COALESCE(s.screened, 0) AS screened, COALESCE(s.pending, 0) AS pending, COALESCE(s.overdue, 0) AS overdue,
       COALESCE(s.cases_opened, 0) AS cases_opened, COALESCE(e.exited, 0) AS exited,
       COALESCE(e.exited_stopped, 0) AS exited_stopped, COALESCE(e.exited_in_hearing, 0) AS exited_in_hearing
FROM s FULL JOIN e ON e.code = s.code
LEFT JOIN divisions d ON d.code = COALESCE(s.code, e.code)
ORDER BY 1
""")


@router.get("/report", summary="动态管理月报：按村(社区)或乡镇(街道)统计")
async def report(actor: ActorDep, session: SessionDep, today: TodayDep,
                 period: Annotated[str, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")],
                 level: Annotated[str, Query(pattern="^(village|township)$")] = "village") -> list[ReportRow]:
    require(actor, *_STAFF)
    rows = (await session.execute(_REPORT, {"width": 12 if level == "village" else 9, "period": period,
                                            "scope": actor.jurisdiction, "today": today})).all()
    return [ReportRow.model_validate(dict(r._mapping)) for r in rows]

