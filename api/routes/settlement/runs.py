"""The monthly run as a county officer sees it: re-run a period by hand, backfill missed months, the run's
state with the 1% check, and the records a run could not bill (they stay unsettled, never lost)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import func, select
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.service import RPCError, RPCStatusCode

from activities.settlement.schedule import backfill, nominal_run_at
from api.deps import ActorDep, ResourcesDep, SessionDep, require
from api.errors import ApiError
from api.settlement_access import county_of, require_county_officer
from api.settlement_reads import fund_check_of
from models.settlement.payloads import Period, SettlementStart
from models.settlement.schemas import (
    BackfillIn,
    RunIn,
    RunOut,
    RunStarted,
    SettlementExceptionOut,
)
from models.settlement.tables import SETTLEMENT_EXCEPTIONS, SETTLEMENT_RUNS, STATEMENTS
from models.tables import CASES
from vocabulary.case import Role
from vocabulary.settlement import UnpaidReason
from workflows import periods
from workflows.settlement import SettlementWorkflow, settlement_workflow_id

router = APIRouter(prefix="/settlement", tags=["资金结算"])
_MAX_BACKFILL = 12

@router.post("/runs", status_code=202, summary="县级民政部门：手动(重新)结算本县某一期间")
async def start_run(body: RunIn, actor: ActorDep, resources: ResourcesDep) -> RunStarted:
    county = require_county_officer(actor)
    if not periods.has_ended(body.period, datetime.now(UTC)):
        raise ApiError(422, "period_not_ended", f"{body.period}尚未结束，不能结算")
    workflow_id = settlement_workflow_id(body.period, county)
    try:
        # A double click joins the run already going; a later click starts a re-run, which is idempotent.
        await resources.temporal.start_workflow(
            SettlementWorkflow.run, SettlementStart(period=body.period, county_code=county), id=workflow_id,
            task_queue=resources.settings.task_queue, id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
            id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE,
        )
    except RPCError:
        raise ApiError(503, "settlement_unavailable", "结算服务暂时不可用，请稍后重试") from None
    return RunStarted(period=body.period, county_code=county, workflow_id=workflow_id)


@router.post("/backfill", status_code=202, summary="县级民政部门：补跑错过的月度结算（按结算计划）")
async def backfill_runs(body: BackfillIn, actor: ActorDep, resources: ResourcesDep) -> RunStarted:
    require_county_officer(actor)
    wanted = periods.between(body.first, body.last)
    if not wanted or len(wanted) > _MAX_BACKFILL:
        raise ApiError(422, "invalid_input", f"补跑期间应为1至{_MAX_BACKFILL}个月，且起始月不晚于结束月")
    if nominal_run_at(resources.settings, body.last) > datetime.now(UTC):
        raise ApiError(422, "period_not_due", f"{body.last}的结算日尚未到，不需补跑")
    try:
        await backfill(resources.temporal, resources.settings, body.first, body.last)
    except RPCError as err:
        if err.status is RPCStatusCode.NOT_FOUND:
            raise ApiError(409, "schedule_missing", "月度结算计划尚未创建（由结算服务启动时创建）") from None
        raise ApiError(503, "settlement_unavailable", "结算服务暂时不可用，请稍后重试") from None
    return RunStarted(period=body.last, county_code=None, workflow_id=resources.settings.settlement_schedule_id,
                      periods=wanted)


@router.get("/runs/{period}", summary="本县某一期间的结算情况（截止时间、结算单数、1%核对）")
async def get_run(period: Period, actor: ActorDep, session: SessionDep) -> RunOut:
    require(actor, Role.COUNTY_OFFICER, Role.TOWNSHIP_WORKER, Role.AUDITOR)
    county = county_of(actor)
    run = (await session.execute(select(SETTLEMENT_RUNS).where(
        SETTLEMENT_RUNS.c.period == period, SETTLEMENT_RUNS.c.county_code == county))).first()
    statements = (await session.execute(select(func.count()).select_from(STATEMENTS).where(
        STATEMENTS.c.period == period, STATEMENTS.c.county_code == county))).scalar_one()
    exceptions = (await session.execute(select(func.count()).select_from(SETTLEMENT_EXCEPTIONS).where(
        SETTLEMENT_EXCEPTIONS.c.period == period, SETTLEMENT_EXCEPTIONS.c.county_code == county))).scalar_one()
    status = "not_run" if run is None else "running" if run.last_finished_at is None else "finished"
    return RunOut(
        period=period, county_code=county, status=status, cutoff_at=run.cutoff_at if run else None,
        runs=run.runs if run else 0, last_started_at=run.last_started_at if run else None,
        last_finished_at=run.last_finished_at if run else None, statements=statements, exceptions=exceptions,
        fund_check=await fund_check_of(session, county, period),
    )


@router.get("/exceptions", summary="本期未能结算的服务记录（留待下期重新核对）")
async def exceptions(
    actor: ActorDep, session: SessionDep, period: Annotated[str, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")],
    limit: Annotated[int, Query(ge=1, le=500)] = 100, offset: Annotated[int, Query(ge=0)] = 0,
) -> list[SettlementExceptionOut]:
    require(actor, Role.COUNTY_OFFICER, Role.TOWNSHIP_WORKER, Role.AUDITOR)
    e = SETTLEMENT_EXCEPTIONS.c
    rows = (await session.execute(
        select(SETTLEMENT_EXCEPTIONS).join(CASES, CASES.c.id == e.case_id)
        .where(e.period == period, e.county_code == county_of(actor),
               CASES.c.village_code.startswith(actor.jurisdiction, autoescape=True))
        .order_by(e.service_month, e.case_id, e.record_id).limit(limit).offset(offset)
    )).all()
    return [SettlementExceptionOut(record_id=r.record_id, case_id=r.case_id, provider_id=r.provider_id,
                                   item_code=r.item_code, service_month=r.service_month.strftime("%Y-%m"),
                                   reason=r.reason, reason_zh=UnpaidReason.label(r.reason)) for r in rows]
