""""党建+救助" (001 三(六)4): the township records a pairing (结对) of a party member or branch with a recipient;
the township or the village assistant records its visits and help; ending the pairing ends the mode on the case.
Jurisdiction on every read and write (a pairing outside the asker's division answers like an absent one)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from activities.modes import party as flow
from api.access import load_case
from api.deps import ActorDep, IdempotencyKey, ResourcesDep, SessionDep, TodayDep, require
from api.errors import ApiError
from api.oversight_access import audit
from api.routes.service_modes.common import STAFF, case_open, claim, not_found, within
from models.modes.party import PARTY_PAIRINGS, PARTY_VISITS
from models.modes.party_schemas import PartyPairingEndIn, PartyPairingIn, PartyPairingOut, PartyVisitIn, PartyVisitOut
from models.payloads.actor import Actor
from vocabulary.case import Role
from vocabulary.modes_linkage import PartnerKind, PartyHelp

router = APIRouter(prefix="/party-pairings", tags=["“党建+救助”服务"])
_p, _v = PARTY_PAIRINGS.c, PARTY_VISITS.c
_RECORDERS = (Role.TOWNSHIP_WORKER, Role.VILLAGE_ASSISTANT)


def _columns() -> Any:
    counts = select(_v.pairing_id, func.count().label("visit_count"), func.max(_v.visited_on).label(
        "last_visit_on")).group_by(_v.pairing_id).subquery()
    return select(PARTY_PAIRINGS, func.coalesce(counts.c.visit_count, 0).label("visit_count"),
                  counts.c.last_visit_on).outerjoin(counts, counts.c.pairing_id == _p.id)


async def _load(session: AsyncSession, actor: Actor, pairing_id: UUID, lock: bool = False) -> Any:
    row = (await session.execute(_columns().where(_p.id == pairing_id))).first()
    if row is None or not within(actor, row.village_code, STAFF):
        raise not_found("结对帮扶")
    if lock:
        await session.execute(select(_p.id).where(_p.id == pairing_id).with_for_update())
    return row


async def _out(session: AsyncSession, row: Any, detail: bool = False) -> PartyPairingOut:
    visits = None
    if detail:
        rows = (await session.execute(select(PARTY_VISITS).where(_v.pairing_id == row.id).order_by(
            _v.visited_on, _v.recorded_at))).all()
        visits = [PartyVisitOut.model_validate({**r._mapping, "help_zh": PartyHelp.label(r.help)}) for r in rows]
    return PartyPairingOut.model_validate({**row._mapping, "partner_kind_zh": PartnerKind.label(row.partner_kind),
                                      "visits": visits})


@router.post("", status_code=201, summary="乡镇登记党员或党支部与服务对象结对帮扶")
async def pair(body: PartyPairingIn, actor: ActorDep, session: SessionDep, today: TodayDep,
               response: Response) -> PartyPairingOut:
    require(actor, Role.TOWNSHIP_WORKER)
    case = await load_case(session, actor, body.case_id)
    running = (await session.execute(select(_p.id).where(
        _p.case_id == body.case_id, _p.partner_name == body.partner_name, _p.ended_on.is_(None)))).scalar()
    if running is not None:  # the business key: this partner is paired with this recipient already
        response.status_code = 200
        return await _out(session, await _load(session, actor, running))
    case_open(case)
    if body.started_on > today:
        raise ApiError(422, "future_date", "结对日期不能晚于今天")
    pairing_id = uuid.uuid4()
    await flow.pair(session, pairing_id=pairing_id, case=case, kind=body.partner_kind, partner=body.partner_name,
                    branch=body.branch_name, started_on=body.started_on, actor_id=actor.user_id,
                    at=datetime.now(UTC))
    await audit(session, actor, "party_pairing", {"pairing_id": str(pairing_id), "case_id": str(case.id)})
    await session.commit()
    return await _out(session, await _load(session, actor, pairing_id))


@router.get("", summary="结对帮扶（按案件或辖区）")
async def list_pairings(actor: ActorDep, session: SessionDep, case_id: UUID | None = None,
                        running: bool | None = None, limit: Annotated[int, Query(ge=1, le=200)] = 50,
                        offset: Annotated[int, Query(ge=0)] = 0) -> list[PartyPairingOut]:
    require(actor, *STAFF)
    query = _columns().where(_p.village_code.startswith(actor.jurisdiction, autoescape=True))
    if case_id is not None:
        query = query.where(_p.case_id == case_id)
    if running is not None:
        query = query.where(_p.ended_on.is_(None) if running else _p.ended_on.is_not(None))
    rows = (await session.execute(query.order_by(_p.started_on.desc(), _p.id).limit(limit).offset(offset))).all()
    return [await _out(session, r) for r in rows]


@router.get("/{pairing_id}", summary="结对帮扶详情（含走访帮扶记录）")
async def get_pairing(pairing_id: UUID, actor: ActorDep, session: SessionDep) -> PartyPairingOut:
    return await _out(session, await _load(session, actor, pairing_id), detail=True)


@router.post("/{pairing_id}/visits", status_code=201, summary="登记走访慰问和帮扶（日期、方式、内容）")
async def add_visit(pairing_id: UUID, body: PartyVisitIn, actor: ActorDep, session: SessionDep, resources: ResourcesDep,
                    today: TodayDep, response: Response, key: IdempotencyKey = None) -> PartyPairingOut:
    row = await _load(session, actor, pairing_id, lock=True)
    require(actor, *_RECORDERS)
    visit_id, fresh = await claim(session, actor, resources.settings, key, f"POST /party-pairings/{pairing_id}/visits",
                                  body)
    if not fresh:
        response.status_code = 200
        return await _out(session, row, detail=True)
    last: date = row.ended_on or today
    if not row.started_on <= body.visited_on <= last:
        raise ApiError(422, "visit_out_of_pairing", "走访日期应在结对期间内，且不晚于今天")
    await flow.visit(session, visit_id=visit_id, pairing=row, visited_on=body.visited_on, help=body.help,
                     content=body.content, actor_id=actor.user_id, at=datetime.now(UTC))
    await audit(session, actor, "party_visit", {"pairing_id": str(pairing_id), "visit_id": str(visit_id)})
    await session.commit()
    return await _out(session, await _load(session, actor, pairing_id), detail=True)


@router.post("/{pairing_id}/end", summary="结束结对帮扶（服务对象的该服务方式随之结束）")
async def end_pairing(pairing_id: UUID, body: PartyPairingEndIn, actor: ActorDep, session: SessionDep,
                      today: TodayDep) -> PartyPairingOut:
    row = await _load(session, actor, pairing_id, lock=True)
    require(actor, Role.TOWNSHIP_WORKER)
    if row.ended_on is not None:  # ended already: the first end stands
        return await _out(session, row, detail=True)
    if not row.started_on <= body.ended_on <= today:
        raise ApiError(422, "end_out_of_range", "结束日期应在结对之日至今天之间")
    if row.last_visit_on is not None and body.ended_on < row.last_visit_on:
        raise ApiError(422, "end_before_visit", "结束日期不能早于最后一次走访帮扶的日期")
    await flow.unpair(session, row, body.ended_on, body.reason)
    await audit(session, actor, "party_pairing_ended",
                    {"pairing_id": str(pairing_id), "ended_on": body.ended_on.isoformat()})
    await session.commit()
    return await _out(session, await _load(session, actor, pairing_id), detail=True)
