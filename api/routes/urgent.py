"""The urgent path (突发情况 / 先行救助): marking a case urgent, the township's confirmation of an assistant's request
(rows of the process table, taken as the case workflow's updates), and the case's urgent care as it stands."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from sqlalchemy import select

from activities.urgent.care import window
from api.case_actions import CaseStepDep, path_of
from api.deps import ActorDep, SessionDep
from api.errors import ApiError
from api.urgent_access import load_service_case
from models.payloads.forms import ItemQuantity
from models.payloads.urgent import ConfirmUrgentForm, UrgentForm
from models.schemas import StepOut
from models.tables import PROVIDERS
from models.urgent.schemas import UrgentCareOut
from models.urgent.tables import URGENT_CARES
from vocabulary.urgent import UrgentReason, UrgentState
from workflows import process as p

router = APIRouter(prefix="/cases/{case_id}", tags=["先行救助"])
_u = URGENT_CARES.c


@router.post(path_of(p.MARK_URGENT), summary="突发情况：先行救助，有协议的机构立即短期照料（协理员提出须乡镇确认）")
async def mark_urgent(form: UrgentForm, step: CaseStepDep) -> StepOut:
    return await step(p.MARK_URGENT, form)


@router.post(path_of(p.CONFIRM_URGENT), summary="乡镇(街道)确认协理员提出的先行救助")
async def confirm_urgent(form: ConfirmUrgentForm, step: CaseStepDep) -> StepOut:
    return await step(p.CONFIRM_URGENT, form)


@router.get("/urgent", summary="先行救助情况：原因、服务机构、短期照料事项、起止日期")
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
