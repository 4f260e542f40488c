"""Provider evaluation (绩效评价) per purchase agreement: computed from the data by the purchaser, with the county's
weights, as JSON or an XLSX report. An agreement cannot be accepted (验收) without it (routes/settlement/agreements.py),
and once accepted its evaluation is frozen."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response
from sqlalchemy import ColumnElement, false, select
from sqlalchemy.dialects.postgresql import insert

from activities.oversight.evaluation import evaluate, report_rows
from activities.oversight.settings import county_settings
from api.deps import ActorDep, SessionDep
from api.errors import ApiError
from api.exports import EXPORT_RESPONSES, XLSX, download, xlsx_bytes
from api.oversight_access import audit, not_found
from models.oversight.complaint_schemas import EvaluationIn, EvaluationOut
from models.oversight.complaint_tables import EVALUATIONS
from models.payloads.actor import Actor
from models.settlement.tables import AGREEMENTS
from models.tables import PROVIDERS
from vocabulary.case import Role
from vocabulary.settlement import AgreementStatus

router = APIRouter(prefix="/evaluations", tags=["绩效评价"])
_e, _a = EVALUATIONS.c, AGREEMENTS.c


def _agreement_scope(actor: Actor) -> ColumnElement[bool]:
    if actor.role is Role.PROVIDER:
        return _a.provider_id == actor.provider_id
    if actor.role in (Role.COUNTY_OFFICER, Role.AUDITOR) and len(actor.jurisdiction) == 6:
        return _a.county_code == actor.jurisdiction
    if actor.role is Role.TOWNSHIP_WORKER:
        return _a.purchaser_code == actor.jurisdiction
    return false()


def _purchaser(actor: Actor, row: Any) -> bool:
    return (actor.role is Role.COUNTY_OFFICER and row.county_code == actor.jurisdiction) or (
        actor.role is Role.TOWNSHIP_WORKER and row.purchaser_code == actor.jurisdiction)


async def _load(session: Any, actor: Actor, agreement_id: UUID) -> Any:
    row = (await session.execute(select(EVALUATIONS).join(AGREEMENTS, _a.id == _e.agreement_id).where(
        _e.agreement_id == agreement_id, _agreement_scope(actor)))).first()
    if row is None:
        raise not_found("绩效评价")
    return row


@router.post("", status_code=201, summary="计算服务供给主体绩效评价（购买主体办理；协议验收后不再重算）")
async def compute(body: EvaluationIn, actor: ActorDep, session: SessionDep) -> EvaluationOut:
    agreement = (await session.execute(select(AGREEMENTS).where(_a.id == body.agreement_id, _agreement_scope(actor))
                                       .with_for_update())).first()
    if agreement is None:
        raise not_found("购买服务协议")
    if not _purchaser(actor, agreement):
        raise ApiError(403, "wrong_role", "绩效评价由协议的购买主体办理")
    if agreement.status == AgreementStatus.ACCEPTED.value:
        raise ApiError(409, "evaluation_frozen", "协议已验收，绩效评价不再重算")
    now = datetime.now(UTC)
    result = await evaluate(session, agreement, await county_settings(session, agreement.county_code), now)
    values = {**result, "provider_id": agreement.provider_id, "county_code": agreement.county_code,
              "computed_by": actor.user_id, "computed_at": now}
    await session.execute(insert(EVALUATIONS).values(agreement_id=agreement.id, **values).on_conflict_do_update(
        index_elements=[_e.agreement_id], set_=values))
    await audit(session, actor, "provider_evaluation", {"agreement_id": str(agreement.id),
                                                        "score": None if result["score"] is None
                                                        else str(result["score"])})
    await session.commit()
    return EvaluationOut.model_validate(await _load(session, actor, agreement.id))


@router.get("", summary="绩效评价列表")
async def list_evaluations(actor: ActorDep, session: SessionDep,
                           year: Annotated[int | None, Query(ge=2000, le=2100)] = None) -> list[EvaluationOut]:
    query = select(EVALUATIONS).join(AGREEMENTS, _a.id == _e.agreement_id).where(_agreement_scope(actor))
    if year is not None:
        query = query.where(_e.period_start <= date(year, 12, 31), _e.period_end >= date(year, 1, 1))
    rows = (await session.execute(query.order_by(_e.period_start.desc(), _e.agreement_id))).all()
    return [EvaluationOut.model_validate(r) for r in rows]


@router.get("/{agreement_id}", summary="一份绩效评价")
async def get_evaluation(agreement_id: UUID, actor: ActorDep, session: SessionDep) -> EvaluationOut:
    return EvaluationOut.model_validate(await _load(session, actor, agreement_id))


@router.get("/{agreement_id}/xlsx", summary="绩效评价报告（XLSX）", response_class=Response,
            responses=EXPORT_RESPONSES)
async def export(agreement_id: UUID, actor: ActorDep, session: SessionDep) -> Response:
    row = await _load(session, actor, agreement_id)
    names = (await session.execute(select(PROVIDERS.c.name, _a.agreement_no).join(
        AGREEMENTS, _a.provider_id == PROVIDERS.c.id).where(_a.id == agreement_id))).one()
    rows: list[tuple[Any, ...]] = report_rows(row.metrics, row.weights)
    score = "无数据" if row.score is None else str(Decimal(row.score))
    rows += [(), ("综合得分（百分制）", "", "", score, sum(row.weights.values())),
             ("服务供给主体", names.name, "", "", ""), ("协议编号", names.agreement_no, "", "", ""),
             ("评价期间", f"{row.period_start} 至 {row.period_end}", "", "", "")]
    data = xlsx_bytes("绩效评价", ("指标", "分子", "分母", "得分率", "权重"), rows)
    return download(data, f"绩效评价-{names.name}-{names.agreement_no}.xlsx", XLSX)
