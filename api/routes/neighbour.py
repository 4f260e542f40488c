"""Neighbour help (邻里互助服务, 池州方案 三(六)6): the township registers the neighbours it trained as helpers and
pairs them with recipients' cases (the mode shows on the case under 服务方式); ending a pairing ends the mode.
The county sets the subsidy standard (per service or per month, by date, like a fee standard)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from fastapi import APIRouter
from sqlalchemy import ColumnElement, false, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from activities.modes.neighbour.helpers import NewHelper, end_pairing, pair, register_helper
from api.access import load_case
from api.deps import ActorDep, ResourcesDep, SessionDep
from api.errors import ApiError
from api.neighbour_access import (
    SUPERVISORS,
    county_officer,
    load_pairing,
    pairings_query,
    refusals,
    township_worker,
)
from api.settlement_access import audit, county_of
from models.modes.neighbour import HELPERS, PAIRINGS, RATES
from models.modes.neighbour_schemas import (
    HelperIn,
    HelperOut,
    PairingEndIn,
    PairingIn,
    PairingOut,
    RateIn,
    RateOut,
)
from models.payloads.actor import Actor
from policy.neighbour import mask_account
from vocabulary.case import Role, Step
from vocabulary.neighbour import RateBasis

router = APIRouter(prefix="/neighbour", tags=["邻里互助服务"])
_h, _p = HELPERS.c, PAIRINGS.c
# A helper is paired once the township confirmed the person's eligibility (审核确认) and while the case is open.
_PAIRABLE = frozenset({Step.REFERRAL, Step.SERVICE, Step.ARCHIVING, Step.DYNAMIC_MANAGEMENT})


def _helper_out(row: Any) -> HelperOut:
    return HelperOut.model_validate({**row._mapping, "account_masked": mask_account(row.account_tail)})


def _helper_scope(actor: Actor) -> ColumnElement[bool]:
    if actor.role is Role.VILLAGE_ASSISTANT:
        result: ColumnElement[bool] = _h.village_code.startswith(actor.jurisdiction, autoescape=True)
        return result
    if actor.role in SUPERVISORS:
        result = _h.township_code.startswith(actor.jurisdiction, autoescape=True)
        return result
    return false()


async def _helper(session: AsyncSession, actor: Actor, helper_id: UUID) -> Any:
    row = (await session.execute(select(HELPERS).where(_h.id == helper_id, _helper_scope(actor)))).first()
    if row is None:
        raise ApiError(404, "helper_not_found", "邻里互助员不存在")
    return row


@router.post("/helpers", status_code=201, summary="乡镇(街道)登记经培训的邻里互助员（含补贴收款账户）")
async def create_helper(body: HelperIn, actor: ActorDep, session: SessionDep, resources: ResourcesDep) -> HelperOut:
    township = township_worker(actor)
    if not body.village_code.startswith(township):
        raise ApiError(403, "out_of_jurisdiction", "该村(社区)不在您的管辖范围内")
    helper_id, created = await register_helper(session, NewHelper(
        township, body.village_code, body.name, body.trained_on, body.certificate_no, body.account_name,
        body.account_no, body.bank_name), resources.settings.id_cipher_key, actor.user_id)
    if created:
        await audit(session, actor, "neighbour_helper", {"helper_id": str(helper_id)})
    await session.commit()
    return _helper_out(await _helper(session, actor, helper_id))


@router.get("/helpers", summary="邻里互助员名册（乡镇看本乡镇，村看本村）")
async def list_helpers(actor: ActorDep, session: SessionDep) -> list[HelperOut]:
    rows = (await session.execute(select(HELPERS).where(_helper_scope(actor)).order_by(
        _h.village_code, _h.name, _h.id))).all()
    return [_helper_out(r) for r in rows]


@router.get("/helpers/{helper_id}", summary="邻里互助员")
async def get_helper(helper_id: UUID, actor: ActorDep, session: SessionDep) -> HelperOut:
    return _helper_out(await _helper(session, actor, helper_id))


@router.post("/helpers/{helper_id}/pairings", status_code=201, summary="乡镇(街道)将邻里互助员与服务对象结对")
async def create_pairing(helper_id: UUID, body: PairingIn, actor: ActorDep, session: SessionDep) -> PairingOut:
    township = township_worker(actor)
    helper = await _helper(session, actor, helper_id)
    case = await load_case(session, actor, body.case_id)
    if case.township_code != township:
        raise ApiError(404, "case_not_found", "案件不存在")
    if case.status != "open" or case.step not in _PAIRABLE:
        raise ApiError(409, "case_not_confirmed", "服务对象须经审核确认且案件未结束，才能安排邻里互助")
    if body.started_on < helper.trained_on:
        raise ApiError(422, "not_trained", "邻里互助员须经培训后才能提供服务，结对开始日期不能早于培训日期")
    pairing_id, created = await pair(session, helper_id, helper.name, body.case_id, township, case.village_code,
                            body.content, body.started_on, actor.user_id)
    if created:
        await audit(session, actor, "neighbour_pairing", {"pairing_id": str(pairing_id), "case_id": str(case.id)})
    await session.commit()
    return PairingOut.model_validate(await load_pairing(session, actor, pairing_id))


@router.post("/pairings/{pairing_id}/end", summary="结束结对（同时结束该服务方式）")
async def end(pairing_id: UUID, body: PairingEndIn, actor: ActorDep, session: SessionDep) -> PairingOut:
    row = await load_pairing(session, actor, pairing_id)
    township_worker(actor)
    async with refusals():
        ended = await end_pairing(session, pairing_id, body.ended_on, body.reason)
    if ended:
        await audit(session, actor, "neighbour_pairing_end", {"pairing_id": str(pairing_id)})
    await session.commit()
    return PairingOut.model_validate(await load_pairing(session, actor, row.id))


@router.get("/pairings", summary="邻里互助结对（乡镇看本乡镇，村看本村）")
async def list_pairings(actor: ActorDep, session: SessionDep, helper_id: UUID | None = None,
                        case_id: UUID | None = None, current: bool = False) -> list[PairingOut]:
    if actor.role is Role.VILLAGE_ASSISTANT:
        where = [_p.village_code.startswith(actor.jurisdiction, autoescape=True)]
    elif actor.role in SUPERVISORS:
        where = [_p.township_code.startswith(actor.jurisdiction, autoescape=True)]
    else:
        return []
    if helper_id is not None:
        where.append(_p.helper_id == helper_id)
    if case_id is not None:
        where.append(_p.case_id == case_id)
    if current:
        where.append(_p.ended_on.is_(None))
    rows = (await session.execute(pairings_query().where(*where).order_by(_p.started_on.desc(), _p.id))).all()
    return [PairingOut.model_validate(r) for r in rows]


@router.get("/rates", summary="本县邻里互助帮扶补贴标准（按次或按月，按生效日期）")
async def list_rates(actor: ActorDep, session: SessionDep) -> list[RateOut]:
    if actor.role not in SUPERVISORS:
        raise ApiError(403, "wrong_role", "您的角色无权查看补贴标准")
    rows = (await session.execute(select(RATES).where(RATES.c.county_code == county_of(actor)).order_by(
        RATES.c.valid_from))).all()
    return [RateOut.model_validate({**r._mapping, "basis_zh": RateBasis.label(r.basis)}) for r in rows]


@router.post("/rates", status_code=201, summary="县级民政部门设定邻里互助帮扶补贴标准（自某日起生效）")
async def set_rate(body: RateIn, actor: ActorDep, session: SessionDep) -> RateOut:
    county = county_officer(actor)
    if body.valid_to is not None and body.valid_to < body.valid_from:
        raise ApiError(422, "invalid_input", "补贴标准的截止日期不能早于生效日期")
    values = {"valid_to": body.valid_to, "basis": body.basis.value, "amount": body.amount}
    await session.execute(insert(RATES).values(
        county_code=county, valid_from=body.valid_from, created_by=actor.user_id, created_at=datetime.now(UTC),
        **values,
    ).on_conflict_do_nothing())
    row = (await session.execute(select(RATES).where(RATES.c.county_code == county,
                                                     RATES.c.valid_from == body.valid_from))).one()
    if (row.valid_to, row.basis, row.amount) != (body.valid_to, body.basis.value, body.amount):
        raise ApiError(409, "rate_exists",
                       f"自{body.valid_from:%Y年%m月%d日}起的补贴标准已设定，不能修改；请另设新的生效日期")
    await audit(session, actor, "neighbour_rate", {"valid_from": body.valid_from.isoformat(), **{
        k: str(v) for k, v in values.items()}})
    await session.commit()
    return RateOut.model_validate({**row._mapping, "basis_zh": RateBasis.label(row.basis)})
