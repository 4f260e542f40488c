"""部门联动服务 (001 三(六)3): the county's member units of the assistance coordination mechanism, kept by the county
officer, and referrals of a recipient's need to one of them. The county officer records the unit's acknowledgement
and outcome on its behalf (units are not users); the referral's deadline escalates like any task's. Jurisdiction
on every read and write: a referral outside the asker's division answers like one that does not exist (404)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from activities.modes import department as flow
from api import task_calls
from api.access import load_case
from api.deps import ActorDep, IdempotencyKey, ResourcesDep, SessionDep, TodayDep
from api.errors import ApiError
from api.oversight_access import audit
from api.routes.service_modes.common import SUPERVISORS, case_open, claim, county_of, county_officer, not_found
from models.modes.linkage import DEPARTMENT_REFERRALS, LINKAGE_UNITS
from models.modes.linkage_schemas import (
    AcknowledgementIn,
    DepartmentReferralIn,
    DepartmentReferralOut,
    OutcomeIn,
    UnitChange,
    UnitIn,
    UnitOut,
)
from models.payloads.actor import Actor
from vocabulary.china import china_day
from vocabulary.modes_linkage import ReferralStatus, UnitAction

router = APIRouter(tags=["部门联动服务"])
_u, _d = LINKAGE_UNITS.c, DEPARTMENT_REFERRALS.c


@router.get("/linkage-units", summary="本县社会救助联席会议成员单位")
async def list_units(actor: ActorDep, session: SessionDep, active: bool | None = None) -> list[UnitOut]:
    query = select(LINKAGE_UNITS).where(_u.county_code == county_of(actor))
    if active is not None:
        query = query.where(_u.active.is_(active))
    return [UnitOut.model_validate(r) for r in (await session.execute(query.order_by(_u.name))).all()]


@router.post("/linkage-units", status_code=201, summary="县级民政部门登记成员单位（同名即同一单位）")
async def add_unit(body: UnitIn, actor: ActorDep, session: SessionDep, response: Response) -> UnitOut:
    county = county_officer(actor)
    existing = (await session.execute(select(LINKAGE_UNITS).where(
        _u.county_code == county, _u.name == body.name))).first()
    if existing is not None:  # the business key: the same unit named again
        response.status_code = 200
        return UnitOut.model_validate(existing)
    unit_id = uuid.uuid4()
    await session.execute(LINKAGE_UNITS.insert().values(
        id=unit_id, county_code=county, name=body.name, services=body.services, active=True,
        created_by=actor.user_id, created_at=datetime.now(UTC)))
    await audit(session, actor, "linkage_unit_added", {"unit_id": str(unit_id)})
    await session.commit()
    return await _unit(session, actor, unit_id)


@router.patch("/linkage-units/{unit_id}", summary="调整成员单位（服务内容、停用或恢复）")
async def change_unit(unit_id: UUID, body: UnitChange, actor: ActorDep, session: SessionDep) -> UnitOut:
    county_officer(actor)
    await _unit(session, actor, unit_id)
    changes = body.model_dump(exclude_none=True)
    if changes:
        await session.execute(update(LINKAGE_UNITS).where(_u.id == unit_id).values(**changes))
        await audit(session, actor, "linkage_unit_changed", {"unit_id": str(unit_id), **changes})
        await session.commit()
    return await _unit(session, actor, unit_id)


async def _unit(session: AsyncSession, actor: Actor, unit_id: UUID) -> UnitOut:
    row = (await session.execute(select(LINKAGE_UNITS).where(
        _u.id == unit_id, _u.county_code == county_of(actor)))).first()
    if row is None:
        raise not_found("成员单位")
    return UnitOut.model_validate(row)


def _columns() -> Any:
    return select(DEPARTMENT_REFERRALS, _u.name.label("unit_name")).join(LINKAGE_UNITS, _u.id == _d.unit_id)


def _out(row: Any, today: date) -> DepartmentReferralOut:
    return DepartmentReferralOut.model_validate({
        **row._mapping, "action_zh": UnitAction.label(row.action), "status_zh": ReferralStatus.label(row.status),
        "overdue": row.status != ReferralStatus.REPORTED.value and today > row.due_on})


async def _load(session: AsyncSession, actor: Actor, referral_id: UUID, lock: bool = False) -> Any:
    query = _columns().where(_d.id == referral_id)
    row = (await session.execute(query.with_for_update(of=DEPARTMENT_REFERRALS) if lock else query)).first()
    if row is None or actor.role not in SUPERVISORS or not row.township_code.startswith(actor.jurisdiction):
        raise not_found("部门联动转介")
    return row


@router.post("/department-referrals", status_code=201, summary="县级民政部门将服务需求转介至成员单位（限时办理反馈）")
async def refer(body: DepartmentReferralIn, actor: ActorDep, session: SessionDep, resources: ResourcesDep,
                today: TodayDep, response: Response, key: IdempotencyKey = None) -> DepartmentReferralOut:
    county = county_officer(actor)
    referral_id, fresh = await claim(session, actor, resources.settings, key, "POST /department-referrals", body)
    if not fresh:
        response.status_code = 200
        return _out(await _load(session, actor, referral_id), today)
    case = await load_case(session, actor, body.case_id)
    case_open(case)
    unit = (await session.execute(select(LINKAGE_UNITS).where(
        _u.id == body.unit_id, _u.county_code == county))).first()
    if unit is None:
        raise not_found("成员单位")
    if not unit.active:
        raise ApiError(409, "unit_inactive", f"{unit.name}已停用，请转介其他成员单位")
    task = await flow.refer(session, referral_id=referral_id, case=case, unit=unit, action=body.action,
                            need=body.need, actor_id=actor.user_id, at=datetime.now(UTC))
    await audit(session, actor, "department_referral",
                    {"referral_id": str(referral_id), "case_id": str(case.id), "unit_id": str(unit.id)})
    await session.commit()
    await task_calls.started(resources, [task])
    return _out(await _load(session, actor, referral_id), today)


@router.get("/department-referrals", summary="部门联动转介（县看全县，乡镇看本辖区）")
async def list_referrals(
    actor: ActorDep, session: SessionDep, today: TodayDep, status: ReferralStatus | None = None,
    case_id: UUID | None = None, limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[DepartmentReferralOut]:
    if actor.role not in SUPERVISORS:
        raise ApiError(403, "wrong_role", "您的角色无权查阅部门联动转介")
    query = _columns().where(_d.township_code.startswith(actor.jurisdiction, autoescape=True))
    if status is not None:
        query = query.where(_d.status == status.value)
    if case_id is not None:
        query = query.where(_d.case_id == case_id)
    rows = (await session.execute(query.order_by(_d.referred_at.desc(), _d.id).limit(limit).offset(offset))).all()
    return [_out(r, today) for r in rows]


@router.get("/department-referrals/{referral_id}", summary="部门联动转介详情")
async def get_referral(referral_id: UUID, actor: ActorDep, session: SessionDep,
                       today: TodayDep) -> DepartmentReferralOut:
    return _out(await _load(session, actor, referral_id), today)


@router.post("/department-referrals/{referral_id}/acknowledgement", summary="登记成员单位已签收（县级代登记）")
async def acknowledge(referral_id: UUID, body: AcknowledgementIn, actor: ActorDep, session: SessionDep,
                      today: TodayDep) -> DepartmentReferralOut:
    row = await _load(session, actor, referral_id, lock=True)
    county_officer(actor)
    if row.status == ReferralStatus.REFERRED.value:
        await flow.acknowledge(session, row, body.note, actor.user_id, datetime.now(UTC))
        await audit(session, actor, "department_acknowledgement", {"referral_id": str(referral_id)})
        await session.commit()
    return _out(await _load(session, actor, referral_id), today)  # signed already: as it stands


@router.post("/department-referrals/{referral_id}/outcome", summary="登记成员单位办理结果（县级民政部门代为登记）")
async def report(referral_id: UUID, body: OutcomeIn, actor: ActorDep, session: SessionDep, resources: ResourcesDep,
                 today: TodayDep) -> DepartmentReferralOut:
    row = await _load(session, actor, referral_id, lock=True)
    county_officer(actor)
    if row.status == ReferralStatus.REPORTED.value:
        if (row.acted_on, row.outcome) == (body.acted_on, body.outcome):  # the same report sent again
            return _out(row, today)
        raise ApiError(409, "already_reported", "成员单位已反馈办理结果，不能再次登记")
    if body.acted_on > today or body.acted_on < china_day(row.referred_at):
        raise ApiError(422, "acted_on_out_of_range", "办理日期应在转介之日至今天之间")
    closed = await flow.report(session, row, body.acted_on, body.outcome, actor.user_id, datetime.now(UTC))
    await audit(session, actor, "department_outcome",
                    {"referral_id": str(referral_id), "acted_on": body.acted_on.isoformat()})
    await session.commit()
    await task_calls.changed(resources, closed)
    return _out(await _load(session, actor, referral_id), today)
