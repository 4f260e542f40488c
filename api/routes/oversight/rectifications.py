"""Rectifications (整改): the provider sees its own and reports what it changed; the county verifies the report,
or sends it back for another round. Each round runs under a working-day deadline with the escalation ladder."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from sqlalchemy import select

from activities.oversight.rectifications import submit_report, verify
from api import task_calls
from api.deps import ActorDep, ResourcesDep, SessionDep
from api.errors import ApiError
from api.oversight_access import SUPERVISORS, not_found, provider_or_division, within
from models.oversight.schemas import RectificationOut, RectificationReportIn, RectificationVerifyIn
from models.oversight.tables import RECTIFICATIONS
from models.payloads.actor import Actor
from vocabulary.case import Role
from vocabulary.oversight import RectificationStatus

router = APIRouter(prefix="/rectifications", tags=["整改"])
_r = RECTIFICATIONS.c


def _visible(actor: Actor, row: Any) -> bool:
    if actor.role is Role.PROVIDER:
        return bool(row.provider_id == actor.provider_id)
    return within(actor, row.township_code or row.county_code, SUPERVISORS)


async def _load(session: Any, actor: Actor, rect_id: UUID, lock: bool = False) -> Any:
    query = select(RECTIFICATIONS).where(_r.id == rect_id)
    row = (await session.execute(query.with_for_update() if lock else query)).first()
    if row is None or not _visible(actor, row):
        raise not_found("整改")
    return row


@router.get("", summary="整改列表（服务供给主体看本机构的，县、乡镇看辖区内的）")
async def list_rectifications(
    actor: ActorDep, session: SessionDep, status: RectificationStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50, offset: Annotated[int, Query(ge=0)] = 0,
) -> list[RectificationOut]:
    scope = provider_or_division(actor, _r.provider_id, _r.township_code)
    if actor.role in (Role.COUNTY_OFFICER, Role.AUDITOR):
        scope = _r.county_code == actor.jurisdiction[:6]
    where = [scope] + ([_r.status == status.value] if status else [])
    rows = (await session.execute(select(RECTIFICATIONS).where(*where).order_by(_r.due_on, _r.id).limit(limit)
                                  .offset(offset))).all()
    return [RectificationOut.model_validate(r) for r in rows]


@router.get("/{rect_id}", summary="整改详情")
async def get_rectification(rect_id: UUID, actor: ActorDep, session: SessionDep) -> RectificationOut:
    return RectificationOut.model_validate(await _load(session, actor, rect_id))


@router.post("/{rect_id}/report", summary="服务供给主体报告整改情况")
async def report(rect_id: UUID, body: RectificationReportIn, actor: ActorDep, session: SessionDep,
                 resources: ResourcesDep) -> RectificationOut:
    row = await _load(session, actor, rect_id, lock=True)
    if actor.role is not Role.PROVIDER:
        raise ApiError(403, "wrong_role", "整改情况由被要求整改的服务供给主体报告")
    if row.status != RectificationStatus.OPEN.value:
        if row.report == body.report:  # the same report sent again
            return RectificationOut.model_validate(row)
        raise ApiError(409, "rectification_not_open", f"整改当前为“{RectificationStatus.label(row.status)}”，不能报告")
    closed, opened = await submit_report(session, row, body.report, datetime.now(UTC))
    await session.commit()
    await task_calls.changed(resources, closed)
    await task_calls.started(resources, opened)
    return RectificationOut.model_validate(await _load(session, actor, rect_id))


@router.post("/{rect_id}/verification", summary="县级民政部门核验整改：通过，或退回继续整改")
async def verification(rect_id: UUID, body: RectificationVerifyIn, actor: ActorDep, session: SessionDep,
                       resources: ResourcesDep) -> RectificationOut:
    row = await _load(session, actor, rect_id, lock=True)
    if actor.role is not Role.COUNTY_OFFICER:
        raise ApiError(403, "wrong_role", "整改由县级民政部门核验")
    if row.status != RectificationStatus.SUBMITTED.value:
        if row.status == RectificationStatus.VERIFIED.value and body.accepted:
            return RectificationOut.model_validate(row)
        raise ApiError(409, "rectification_not_submitted", "服务供给主体尚未报告整改情况")
    closed, opened = await verify(session, row, body.accepted, actor.user_id, datetime.now(UTC))
    await session.commit()
    await task_calls.changed(resources, closed)
    await task_calls.started(resources, opened)
    return RectificationOut.model_validate(await _load(session, actor, rect_id))
