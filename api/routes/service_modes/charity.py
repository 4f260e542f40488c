"""慈善救济服务 (001 三(六)7): the county's charity organisations (kept by the county officer), its referral of a list
of recipients to one, and what the organisation reports it delivered — recorded by the county officer when the
organisation has no user. No public money. The county reads its referrals; a township reads the lines of its own
recipients; anything outside the asker's division answers like an absent record (404)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response
from sqlalchemy import exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from activities.modes import charity as flow
from api.access import load_case
from api.deps import ActorDep, IdempotencyKey, ResourcesDep, SessionDep, TodayDep
from api.errors import ApiError
from api.oversight_access import audit
from api.routes.service_modes.common import SUPERVISORS, case_open, claim, county_of, county_officer, not_found
from models.modes.charity import CHARITY_DELIVERIES, CHARITY_LINES, CHARITY_ORGANISATIONS, CHARITY_REFERRALS
from models.modes.charity_schemas import (
    CharityLineOut,
    CharityReferralIn,
    CharityReferralOut,
    CharityReportIn,
    DeliveryIn,
    DeliveryOut,
    OrganisationChange,
    OrganisationIn,
    OrganisationOut,
)
from models.payloads.actor import Actor
from models.tables import CASES, PERSONS
from policy.modes_linkage import hours_refusal
from vocabulary.china import china_day
from vocabulary.modes_linkage import CharityKind, CharityStatus

router = APIRouter(tags=["慈善救济服务"])
_o, _r, _l, _d = CHARITY_ORGANISATIONS.c, CHARITY_REFERRALS.c, CHARITY_LINES.c, CHARITY_DELIVERIES.c
_ZERO = Decimal("0")


@router.get("/charity-organisations", summary="本县慈善组织")
async def list_organisations(actor: ActorDep, session: SessionDep) -> list[OrganisationOut]:
    rows = (await session.execute(select(CHARITY_ORGANISATIONS).where(
        _o.county_code == county_of(actor)).order_by(_o.name))).all()
    return [OrganisationOut.model_validate(r) for r in rows]


@router.post("/charity-organisations", status_code=201, summary="县级民政部门登记慈善组织（同名即同一组织）")
async def add_organisation(body: OrganisationIn, actor: ActorDep, session: SessionDep,
                           response: Response) -> OrganisationOut:
    county = county_officer(actor)
    existing = (await session.execute(select(CHARITY_ORGANISATIONS).where(
        _o.county_code == county, _o.name == body.name))).first()
    if existing is not None:
        response.status_code = 200
        return OrganisationOut.model_validate(existing)
    org_id = uuid.uuid4()
    await session.execute(CHARITY_ORGANISATIONS.insert().values(
        id=org_id, county_code=county, name=body.name, active=True, created_by=actor.user_id,
        created_at=datetime.now(UTC)))
    await audit(session, actor, "charity_organisation_added", {"organisation_id": str(org_id)})
    await session.commit()
    return OrganisationOut.model_validate(await _organisation(session, county, org_id))


@router.patch("/charity-organisations/{org_id}", summary="停用或恢复慈善组织")
async def change_organisation(org_id: UUID, body: OrganisationChange, actor: ActorDep,
                              session: SessionDep) -> OrganisationOut:
    county = county_officer(actor)
    await _organisation(session, county, org_id)
    await session.execute(update(CHARITY_ORGANISATIONS).where(_o.id == org_id).values(active=body.active))
    await audit(session, actor, "charity_organisation_changed", {"organisation_id": str(org_id), "active": body.active})
    await session.commit()
    return OrganisationOut.model_validate(await _organisation(session, county, org_id))


async def _organisation(session: AsyncSession, county: str, org_id: UUID) -> Any:
    row = (await session.execute(select(CHARITY_ORGANISATIONS).where(
        _o.id == org_id, _o.county_code == county))).first()
    if row is None:
        raise not_found("慈善组织")
    return row


def _lines_of(actor: Actor) -> Any:
    """The lines the actor reads: the county's all, a township's its own recipients'."""
    return _l.township_code.startswith(actor.jurisdiction, autoescape=True)


async def _load(session: AsyncSession, actor: Actor, referral_id: UUID) -> Any:
    mine = exists().where(_l.referral_id == _r.id, _lines_of(actor))
    row = (await session.execute(select(CHARITY_REFERRALS, _o.name.label("organisation_name")).join(
        CHARITY_ORGANISATIONS, _o.id == _r.organisation_id).where(_r.id == referral_id, mine))).first()
    if row is None or actor.role not in SUPERVISORS:
        raise not_found("慈善转介")
    return row


async def _out(session: AsyncSession, actor: Actor, row: Any, detail: bool = False) -> CharityReferralOut:
    visible = (_l.referral_id == row.id, _lines_of(actor))
    person = PERSONS.c.name.label("person_name")
    lines = (await session.execute(
        select(_l.id, _l.case_id, person, CASES.c.village_code, func.count(_d.id).label("deliveries"))
        .join(CASES, CASES.c.id == _l.case_id).join(PERSONS, PERSONS.c.id == CASES.c.person_id)
        .outerjoin(CHARITY_DELIVERIES, _d.line_id == _l.id).where(*visible)
        .group_by(_l.id, PERSONS.c.name, CASES.c.village_code).order_by(CASES.c.village_code, _l.id))).all()
    records = (await session.execute(select(CHARITY_DELIVERIES, _l.case_id).join(CHARITY_LINES, _l.id == _d.line_id)
                                     .where(*visible).order_by(_d.delivered_on, _d.recorded_at))).all()
    return CharityReferralOut.model_validate({
        **row._mapping, "status_zh": CharityStatus.label(row.status), "recipients": len(lines),
        "deliveries": len(records), "goods_value": sum((r.goods_value or _ZERO for r in records), _ZERO),
        "volunteer_hours": sum((r.volunteer_hours or _ZERO for r in records), _ZERO),
        "lines": [CharityLineOut.model_validate(x) for x in lines] if detail else None,
        "records": [DeliveryOut.model_validate({**r._mapping, "kind_zh": CharityKind.label(r.kind)})
                    for r in records] if detail else None})


@router.post("/charity-referrals", status_code=201, summary="县级民政部门将服务名单转介至慈善组织")
async def refer(body: CharityReferralIn, actor: ActorDep, session: SessionDep, resources: ResourcesDep,
                response: Response, key: IdempotencyKey = None) -> CharityReferralOut:
    county = county_officer(actor)
    referral_id, fresh = await claim(session, actor, resources.settings, key, "POST /charity-referrals", body)
    if not fresh:
        response.status_code = 200
        return await _out(session, actor, await _load(session, actor, referral_id), detail=True)
    if len(set(body.case_ids)) != len(body.case_ids):
        raise ApiError(422, "duplicate_case", "名单中有重复的服务对象")
    organisation = await _organisation(session, county, body.organisation_id)
    if not organisation.active:
        raise ApiError(409, "organisation_inactive", f"{organisation.name}已停用，请转介其他慈善组织")
    cases = [await load_case(session, actor, case_id) for case_id in body.case_ids]
    for case in cases:
        case_open(case)
    await flow.refer(session, referral_id=referral_id, county=county, organisation=organisation, cases=cases,
                     note=body.note, actor_id=actor.user_id, at=datetime.now(UTC))
    await audit(session, actor, "charity_referral",
                    {"referral_id": str(referral_id), "case_ids": [str(c) for c in body.case_ids]})
    await session.commit()
    return await _out(session, actor, await _load(session, actor, referral_id), detail=True)


@router.get("/charity-referrals", summary="慈善转介（县看全县，乡镇看本辖区服务对象）")
async def list_referrals(actor: ActorDep, session: SessionDep, status: CharityStatus | None = None,
                         limit: Annotated[int, Query(ge=1, le=200)] = 50,
                         offset: Annotated[int, Query(ge=0)] = 0) -> list[CharityReferralOut]:
    if actor.role not in SUPERVISORS:
        raise ApiError(403, "wrong_role", "您的角色无权查阅慈善转介")
    query = select(CHARITY_REFERRALS, _o.name.label("organisation_name")).join(
        CHARITY_ORGANISATIONS, _o.id == _r.organisation_id).where(
        exists().where(_l.referral_id == _r.id, _lines_of(actor)))
    if status is not None:
        query = query.where(_r.status == status.value)
    rows = (await session.execute(query.order_by(_r.referred_at.desc(), _r.id).limit(limit).offset(offset))).all()
    return [await _out(session, actor, r) for r in rows]


@router.get("/charity-referrals/{charity_referral_id}", summary="慈善转介详情（名单、服务记录、合计）")
async def get_referral(charity_referral_id: UUID, actor: ActorDep, session: SessionDep) -> CharityReferralOut:
    return await _out(session, actor, await _load(session, actor, charity_referral_id), detail=True)


@router.post("/charity-referrals/{charity_referral_id}/deliveries", status_code=201,
             summary="登记慈善组织提供的服务（走访慰问、捐赠物资及价值、义工服务时长）")
async def add_delivery(charity_referral_id: UUID, body: DeliveryIn, actor: ActorDep, session: SessionDep,
                       resources: ResourcesDep, today: TodayDep, response: Response,
                       key: IdempotencyKey = None) -> CharityReferralOut:
    row = await _load(session, actor, charity_referral_id)
    county_officer(actor)
    delivery_id, fresh = await claim(session, actor, resources.settings, key,
                                     f"POST /charity-referrals/{charity_referral_id}/deliveries", body)
    if not fresh:
        response.status_code = 200
        return await _out(session, actor, row, detail=True)
    if row.status == CharityStatus.REPORTED.value:
        raise ApiError(409, "charity_reported", "慈善组织已反馈本次转介的服务情况，不能再登记")
    line = (await session.execute(select(_l.id).where(
        _l.referral_id == charity_referral_id, _l.case_id == body.case_id))).scalar()
    if line is None:
        raise ApiError(422, "not_on_list", "该服务对象不在本次转介名单中")
    if not china_day(row.referred_at) <= body.delivered_on <= today:
        raise ApiError(422, "delivered_on_out_of_range", "服务日期应在转介之日至今天之间")
    if body.kind is CharityKind.GOODS and body.goods_value is None:
        raise ApiError(422, "goods_value_required", "捐赠物资请填写折合价值（元）")
    if body.kind is CharityKind.VOLUNTEER and body.volunteer_hours is None:
        raise ApiError(422, "hours_invalid", "请填写义工服务时长")
    if body.volunteer_hours is not None and (refusal := hours_refusal(body.volunteer_hours)):
        raise ApiError(422, "hours_invalid", refusal)
    await flow.deliver(session, delivery_id=delivery_id, referral_id=charity_referral_id, line_id=line,
                       delivered_on=body.delivered_on, kind=body.kind, content=body.content,
                       goods_value=body.goods_value, volunteer_hours=body.volunteer_hours, actor_id=actor.user_id,
                       at=datetime.now(UTC))
    await audit(session, actor, "charity_delivery", {"referral_id": str(charity_referral_id),
                                                     "delivery_id": str(delivery_id), "case_id": str(body.case_id)})
    await session.commit()
    return await _out(session, actor, await _load(session, actor, charity_referral_id), detail=True)


@router.post("/charity-referrals/{charity_referral_id}/report", summary="登记慈善组织反馈（服务方案和总结），转介办结")
async def report(charity_referral_id: UUID, body: CharityReportIn, actor: ActorDep,
                 session: SessionDep) -> CharityReferralOut:
    row = await _load(session, actor, charity_referral_id)
    county_officer(actor)
    if row.status == CharityStatus.REPORTED.value:
        if (row.service_plan, row.summary) == (body.service_plan, body.summary):
            return await _out(session, actor, row, detail=True)
        raise ApiError(409, "charity_reported", "慈善组织已反馈本次转介的服务情况")
    await flow.report(session, charity_referral_id, body.service_plan, body.summary, actor.user_id,
                      datetime.now(UTC))
    await audit(session, actor, "charity_report", {"referral_id": str(charity_referral_id)})
    await session.commit()
    return await _out(session, actor, await _load(session, actor, charity_referral_id), detail=True)
