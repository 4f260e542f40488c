"""The urgent path (突发情况 / 先行救助): marking a case urgent, the township's confirmation of an assistant's request
(rows of the process table, taken as the case workflow's updates), and the case's urgent care as it stands."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from sqlalchemy import func, select

from activities.urgent.care import SERVICE_PLANS, window
from api.access import case_scope
from api.case_actions import CaseStepDep, path_of
from api.deps import ActorDep, SessionDep, TodayDep
from api.errors import ApiError
from api.urgent_access import load_service_case
from models.payloads.forms import ItemQuantity
from models.payloads.urgent import ConfirmUrgentForm, UrgentForm
from models.schemas import StepOut
from models.tables import CASES, PERSONS, PROVIDERS
from models.urgent.schemas import UrgentCareOut, UrgentCareRow
from models.urgent.tables import URGENT_CARES
from vocabulary.case import Role
from vocabulary.urgent import UrgentReason, UrgentState
from workflows import process as p

router = APIRouter(tags=["先行救助"])
_u = URGENT_CARES.c
_CASE = "/cases/{case_id}"


@router.post(_CASE + path_of(p.MARK_URGENT),
             summary="突发情况：先行救助，有协议的机构立即短期照料（协理员提出须乡镇确认）")
async def mark_urgent(form: UrgentForm, step: CaseStepDep) -> StepOut:
    return await step(p.MARK_URGENT, form)


@router.post(_CASE + path_of(p.CONFIRM_URGENT), summary="乡镇(街道)确认协理员提出的先行救助")
async def confirm_urgent(form: ConfirmUrgentForm, step: CaseStepDep) -> StepOut:
    return await step(p.CONFIRM_URGENT, form)


@router.get(_CASE + "/urgent", summary="先行救助情况：原因、服务机构、短期照料事项、起止日期")
async def urgent_care(case_id: UUID, actor: ActorDep, session: SessionDep) -> UrgentCareOut:
    await load_service_case(session, actor, case_id)
    row = (await session.execute(
        select(URGENT_CARES, PROVIDERS.c.name.label("provider_name"))
        .join(PROVIDERS, PROVIDERS.c.id == _u.provider_id).where(_u.case_id == case_id))).one_or_none()
    if row is None:
        raise ApiError(404, "not_urgent", "本案件没有先行救助")
    w = await window(session, case_id)
    state = UrgentState.CONFIRMED if row.started_on is not None else UrgentState.REQUESTED
    end = w.end_reason if w is not None else None  # why `ends_on` is the last day (the cap, a refusal ...)
    return UrgentCareOut(
        case_id=case_id, state=state, state_zh=state.zh, reason=row.reason, reason_zh=UrgentReason.label(row.reason),
        details=row.details, provider_id=row.provider_id, provider_name=row.provider_name,
        items=[ItemQuantity.model_validate(i) for i in row.items], requested_at=row.requested_at,
        confirmed_at=row.confirmed_at, started_on=row.started_on, last_day=row.last_day,
        ends_on=w.ends_on if w is not None else None, end_reason=end.value if end else None,
        end_reason_zh=end.zh if end else None)


# The care's last day as policy/urgent.py care_end says, in SQL: the cap, an earlier end, the day before the plan.
_ENDS_ON = func.least(_u.last_day, func.coalesce(_u.ended_on, _u.last_day),
                      func.coalesce(SERVICE_PLANS.c.starts_on - 1, _u.last_day))


@router.get("/urgent-cares", summary="先行救助中的服务对象（服务机构：本机构承担的短期照料）")
async def urgent_cares(actor: ActorDep, session: SessionDep, today: TodayDep) -> list[UrgentCareRow]:
    c = CASES.c
    scope = _u.provider_id == actor.provider_id if actor.role is Role.PROVIDER else case_scope(actor)
    rows = (await session.execute(
        select(_u.case_id, PERSONS.c.name.label("person_name"), c.village_code, _u["items"], _u.started_on,
               _ENDS_ON.label("ends_on"))
        .join(CASES, c.id == _u.case_id).join(PERSONS, PERSONS.c.id == c.person_id)
        .outerjoin(SERVICE_PLANS, SERVICE_PLANS.c.case_id == _u.case_id)
        .where(scope, _u.started_on.is_not(None), today <= _ENDS_ON)
        .order_by(_u.started_on, _u.case_id).limit(500)
    )).all()
    return [UrgentCareRow(case_id=r.case_id, person_name=r.person_name, village_code=r.village_code,
                          items=[ItemQuantity.model_validate(i) for i in r.items], started_on=r.started_on,
                          ends_on=r.ends_on) for r in rows]
