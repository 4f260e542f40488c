"""Service records (开展服务): each service delivered, written straight to PostgreSQL, never into workflow
history, validated against the case's plan and provider; then confirmed by the recipient or the assistant."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert

from api.deps import ActorDep, SessionDep, require
from api.errors import ApiError
from api.urgent_access import load_service_case, urgent_record
from models.case_tables import SERVICE_RECORDS, ServicePlan, ServiceRecord
from models.schemas import ConfirmIn, ServiceRecordIn, ServiceRecordOut
from models.tables import AuditEntry
from vocabulary.case import Role, Step
from vocabulary.china import CHINA
from workflows.process import IN_SERVICE

router = APIRouter(prefix="/cases/{case_id}/service-records", tags=["服务记录"])
_r = SERVICE_RECORDS.c
_CLOCK_SKEW = timedelta(minutes=10)


def _audit(case_id: UUID, actor_id: UUID, role: str, action: str, after: dict[str, Any]) -> Any:
    return insert(AuditEntry).values(case_id=case_id, action=action, actor_id=actor_id, actor_role=role,
                                     after=after, at=datetime.now(UTC))


@router.post("", status_code=201, summary="录入一次服务记录（谁、做了什么、何时、多长时间）")
async def record_service(
    case_id: UUID, body: ServiceRecordIn, actor: ActorDep, session: SessionDep, response: Response
) -> ServiceRecordOut:
    require(actor, Role.PROVIDER)
    case = await load_service_case(session, actor, case_id)
    now = datetime.now(UTC)
    if body.started_at.tzinfo is None:
        raise ApiError(422, "invalid_input", "服务开始时间须带时区，例如 2026-11-20T09:00:00+08:00")
    if body.started_at > now + _CLOCK_SKEW:
        raise ApiError(422, "future_service", "服务时间不能晚于当前时间")
    day = body.started_at.astimezone(CHINA).date()
    if not await urgent_record(session, actor, case, body, day):  # 先行救助 before the review (api/urgent_access.py)
        if case.status != "open" or Step(case.step) not in IN_SERVICE or case.provider_id != actor.provider_id:
            raise ApiError(409, "not_in_service", "案件尚未进入服务阶段或已结案，不能录入服务记录")
        plan = await session.get(ServicePlan, case_id)
        assert plan is not None  # a case in service has filed its plan
        if body.item_code not in {i["item_code"] for i in plan.items}:
            raise ApiError(422, "item_not_in_plan", "该服务事项不在本案件的服务方案中")
        if day < plan.starts_on:
            raise ApiError(422, "before_plan", "服务时间早于服务方案的开始日期")
    values = dict(case_id=case_id, provider_id=actor.provider_id, recorded_by=actor.user_id, recorded_at=now,
                  **body.model_dump())
    # One transaction with the reads above: the record and its audit row commit together.
    row = (await session.execute(
        insert(ServiceRecord).values(**values)
        .on_conflict_do_nothing(constraint="uq_service_record").returning(*SERVICE_RECORDS.c)
    )).one_or_none()
    if row is None:  # the same service sent again: answer with the record already kept
        response.status_code = 200
        row = (await session.execute(select(*SERVICE_RECORDS.c).where(
            _r.case_id == case_id, _r.item_code == body.item_code, _r.provider_id == actor.provider_id,
            _r.started_at == body.started_at,
        ))).one()
    else:
        await session.execute(_audit(case_id, actor.user_id, actor.role, "service_record",
                                     {"record_id": str(row.id), "item_code": body.item_code}))
    await session.commit()
    return ServiceRecordOut.model_validate(dict(row._mapping))


@router.get("", summary="服务记录列表")
async def list_records(
    case_id: UUID, actor: ActorDep, session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100, offset: Annotated[int, Query(ge=0)] = 0,
) -> list[ServiceRecordOut]:
    await load_service_case(session, actor, case_id)
    rows = (await session.execute(
        select(*SERVICE_RECORDS.c).where(_r.case_id == case_id)
        .order_by(_r.started_at.desc()).limit(limit).offset(offset)
    )).all()
    return [ServiceRecordOut.model_validate(dict(r._mapping)) for r in rows]


@router.post("/{record_id}/confirmation", summary="服务对象签字确认，或协理员核实确认")
async def confirm(case_id: UUID, record_id: UUID, body: ConfirmIn, actor: ActorDep,
                  session: SessionDep) -> ServiceRecordOut:
    expected = {"recipient": Role.PROVIDER, "village_assistant": Role.VILLAGE_ASSISTANT}[body.by]
    if actor.role is not expected:
        raise ApiError(403, "wrong_role", "服务对象确认由服务供给主体录入签字，协理员确认由协理员本人办理")
    await load_service_case(session, actor, case_id)
    # A provider records the signature on its own services only (先行救助 may bring a second provider to a case).
    own = [_r.provider_id == actor.provider_id] if actor.role is Role.PROVIDER else []
    now = datetime.now(UTC)
    changed = (await session.execute(
        update(SERVICE_RECORDS)
        .where(_r.id == record_id, _r.case_id == case_id, _r.confirmed_at.is_(None), *own)
        .values(confirmed_by=body.by, confirmed_at=now).returning(_r.id)
    )).first()
    if changed is not None:
        await session.execute(_audit(case_id, actor.user_id, actor.role, "service_confirmed",
                                     {"record_id": str(record_id), "by": body.by}))
    row = (await session.execute(
        select(*SERVICE_RECORDS.c).where(_r.id == record_id, _r.case_id == case_id, *own)
    )).one_or_none()
    await session.commit()
    if row is None:
        raise ApiError(404, "record_not_found", "服务记录不存在")
    return ServiceRecordOut.model_validate(dict(row._mapping))
