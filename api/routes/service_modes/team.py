"""社工志愿服务 (001 三(六)5): the village's "社会救助协理员 + 社会工作者 + 志愿者" team (红马夹) makes one plan per
household (一户一档一个帮扶方案; a new version supersedes the current one) and records its services with volunteer
hours; totals per plan, per household and per village. The village assistant or the township records them.
Jurisdiction on every read and write (a plan outside the asker's division answers like an absent one)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from activities.modes import team as flow
from api.access import load_case
from api.deps import ActorDep, IdempotencyKey, ResourcesDep, SessionDep, TodayDep, require
from api.errors import ApiError
from api.oversight_access import audit
from api.routes.service_modes.common import STAFF, case_open, claim, not_found, within
from models.modes.tables import CASE_MODES
from models.modes.team import TEAM_PLANS, TEAM_SERVICES
from models.modes.team_schemas import (
    HouseholdPlans,
    TeamPlanIn,
    TeamPlanOut,
    TeamServiceIn,
    TeamServiceOut,
    VillageHours,
)
from models.payloads.actor import Actor
from models.tables import CASES, DIVISIONS
from policy.modes_linkage import hours_refusal, missing_roles, plan_refusal
from vocabulary.case import Role
from vocabulary.modes import ServiceMode
from vocabulary.modes_linkage import PlanStatus, TeamRole, TeamService

router = APIRouter(tags=["社工志愿服务"])
_t, _s = TEAM_PLANS.c, TEAM_SERVICES.c
_RECORDERS = (Role.VILLAGE_ASSISTANT, Role.TOWNSHIP_WORKER)
_ZERO = Decimal("0.0")


def _columns() -> Any:
    totals = select(_s.plan_id, func.count().label("services"), func.sum(_s.hours).label("hours")).group_by(
        _s.plan_id).subquery()
    return select(TEAM_PLANS, func.coalesce(totals.c.services, 0).label("services"),
                  func.coalesce(totals.c.hours, _ZERO).label("hours")).outerjoin(totals, totals.c.plan_id == _t.id)


async def _out(session: AsyncSession, row: Any, detail: bool = False) -> TeamPlanOut:
    records = None
    if detail:
        rows = (await session.execute(select(TEAM_SERVICES).where(_s.plan_id == row.id).order_by(
            _s.served_on, _s.recorded_at))).all()
        records = [TeamServiceOut.model_validate({**r._mapping, "worker_role_zh": TeamRole.label(r.worker_role),
                                                  "kind_zh": TeamService.label(r.kind)}) for r in rows]
    return TeamPlanOut.model_validate({
        **row._mapping, "status_zh": PlanStatus.label(row.status), "records": records,
        "missing_roles": [r.zh for r in missing_roles(m["role"] for m in row.members)]})


async def _load(session: AsyncSession, actor: Actor, plan_id: UUID) -> Any:
    row = (await session.execute(_columns().where(_t.id == plan_id))).first()
    if row is None or not within(actor, row.village_code, STAFF):
        raise not_found("帮扶方案")
    return row


@router.post("/team-plans", status_code=201, summary="“红马夹”队伍制定一户一档帮扶方案（修订时注明所替代的现行方案）")
async def make_plan(body: TeamPlanIn, actor: ActorDep, session: SessionDep, resources: ResourcesDep,
                    response: Response, key: IdempotencyKey = None) -> TeamPlanOut:
    require(actor, *_RECORDERS)
    case = await load_case(session, actor, body.case_id)
    plan_id, fresh = await claim(session, actor, resources.settings, key, "POST /team-plans", body)
    if not fresh:
        response.status_code = 200
        return await _out(session, await _load(session, actor, plan_id))
    case_open(case)
    # One household's plans are written one at a time: the case row is the lock.
    await session.execute(select(CASES.c.id).where(CASES.c.id == case.id).with_for_update())
    current = (await session.execute(select(TEAM_PLANS).where(
        _t.case_id == case.id, _t.status == PlanStatus.CURRENT.value))).first()
    refusal = plan_refusal(current.id if current else None, current.version if current else None, body.supersedes)
    if refusal is not None:
        raise ApiError(409, "plan_not_current", refusal)
    await flow.make_plan(session, plan_id=plan_id, case=case, current=current, team_name=body.team_name,
                         members=[m.model_dump(mode="json") for m in body.members], assessment=body.assessment,
                         plan=body.plan, actor_id=actor.user_id, at=datetime.now(UTC))
    await audit(session, actor, "team_plan", {"plan_id": str(plan_id), "case_id": str(case.id)})
    await session.commit()
    return await _out(session, await _load(session, actor, plan_id))


@router.get("/cases/{case_id}/team-plans", summary="该户的帮扶方案（各版本）及服务时长合计")
async def household_plans(case_id: UUID, actor: ActorDep, session: SessionDep) -> HouseholdPlans:
    require(actor, *STAFF)
    await load_case(session, actor, case_id)
    rows = (await session.execute(_columns().where(_t.case_id == case_id).order_by(_t.version.desc()))).all()
    plans = [await _out(session, r) for r in rows]
    current = next((p.id for p in plans if p.status == PlanStatus.CURRENT.value), None)
    return HouseholdPlans(case_id=case_id, current_id=current, services=sum(p.services for p in plans),
                          hours=sum((p.hours for p in plans), _ZERO), plans=plans)


@router.get("/team-plans/{plan_id}", summary="帮扶方案详情（含服务记录）")
async def get_plan(plan_id: UUID, actor: ActorDep, session: SessionDep) -> TeamPlanOut:
    return await _out(session, await _load(session, actor, plan_id), detail=True)


@router.post("/team-plans/{plan_id}/services", status_code=201, summary="登记“红马夹”服务及志愿服务时长")
async def add_service(plan_id: UUID, body: TeamServiceIn, actor: ActorDep, session: SessionDep,
                      resources: ResourcesDep, today: TodayDep, response: Response,
                      key: IdempotencyKey = None) -> TeamPlanOut:
    row = await _load(session, actor, plan_id)
    require(actor, *_RECORDERS)
    service_id, fresh = await claim(session, actor, resources.settings, key, f"POST /team-plans/{plan_id}/services",
                                    body)
    if not fresh:
        response.status_code = 200
        return await _out(session, row, detail=True)
    if row.status != PlanStatus.CURRENT.value:
        raise ApiError(409, "plan_superseded", "该帮扶方案已被新版替代，请在现行方案下登记服务")
    if body.served_on > today:
        raise ApiError(422, "future_date", "服务日期不能晚于今天")
    # The case's end ended the household's help (activities/modes/closing.py): nothing after its last day.
    m = CASE_MODES.c
    ended = (await session.execute(select(m.ended_on).where(
        m.mode == ServiceMode.SOCIAL_WORK.value, m.source_id == row.first_id))).scalar()
    if ended is not None and body.served_on > ended:
        raise ApiError(409, "mode_ended", f"该户帮扶已于{ended:%Y年%m月%d日}结束，不能登记此后的服务")
    if refusal := hours_refusal(body.hours):
        raise ApiError(422, "hours_invalid", refusal)
    await flow.record_service(session, service_id=service_id, plan=row, served_on=body.served_on,
                              role=body.worker_role, worker=body.worker_name, kind=body.kind, content=body.content,
                              hours=body.hours, actor_id=actor.user_id, at=datetime.now(UTC))
    await audit(session, actor, "team_service", {"plan_id": str(plan_id), "service_id": str(service_id)})
    await session.commit()
    return await _out(session, await _load(session, actor, plan_id), detail=True)


@router.get("/team-hours", summary="各村(社区)“红马夹”帮扶户数、服务次数和志愿服务时长")
async def village_hours(actor: ActorDep, session: SessionDep,
                        since: date | None = None, until: date | None = None,
                        limit: Annotated[int, Query(ge=1, le=500)] = 200) -> list[VillageHours]:
    require(actor, *STAFF)
    mine = _s.village_code.startswith(actor.jurisdiction, autoescape=True)
    where = [mine] + ([_s.served_on >= since] if since else []) + ([_s.served_on <= until] if until else [])
    served = select(_s.village_code, func.count().label("services"), func.sum(_s.hours).label("hours")).where(
        *where).group_by(_s.village_code).subquery()
    households = select(_t.village_code, func.count().label("households")).where(
        _t.status == PlanStatus.CURRENT.value, _t.village_code.startswith(actor.jurisdiction, autoescape=True)
    ).group_by(_t.village_code).subquery()
    village = func.coalesce(households.c.village_code, served.c.village_code)
    rows = (await session.execute(select(
        village.label("village_code"), DIVISIONS.c.name.label("village_name"),
        func.coalesce(households.c.households, 0).label("households"),
        func.coalesce(served.c.services, 0).label("services"), func.coalesce(served.c.hours, _ZERO).label("hours"),
    ).select_from(households.join(served, served.c.village_code == households.c.village_code, full=True))
        .outerjoin(DIVISIONS, DIVISIONS.c.code == village).order_by(village).limit(limit))).all()
    return [VillageHours.model_validate(r) for r in rows]
