"""The supervisor's view: stuck cases by reason, the township x step summary, bulk reassignment, exports."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import date, datetime, time, timedelta
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Response
from pydantic import Field
from sqlalchemy import text

from api import workflow_calls
from api.access import case_scope, load_case
from api.deps import ActorDep, IdempotencyKey, Resources, ResourcesDep, SessionDep, TodayDep, require
from api.errors import ApiError
from api.exports import EXPORT_RESPONSES, XLSX, csv_bytes, download, xlsx_bytes
from api.idempotency import replay, replay_after, request_key
from api.supervision_query import COUNT_CAP, StuckFilter, stuck_page, stuck_view
from api.task_query import TaskPage, stuck_tasks
from models.payloads.actor import Actor
from models.payloads.forms import ReassignForm
from models.schemas import Out, Schema
from models.tables import CASES, USERS
from vocabulary.case import Role, Step
from vocabulary.china import CHINA
from vocabulary.deadlines import StuckReason as Reason
from vocabulary.tasks import TaskKind
from workflows import process

router = APIRouter(prefix="/supervision", tags=["监督"])
_SUPERVISORS = (Role.TOWNSHIP_WORKER, Role.COUNTY_OFFICER, Role.AUDITOR)
EXPORT_LIMIT = 50_000


class StuckCase(Out):
    id: UUID
    reason: Reason
    step: Step
    step_zh: str
    person_name: str
    township_code: str
    township_name: str | None
    village_code: str
    village_name: str | None
    holder_role: str | None
    assignee_id: UUID | None
    assignee_name: str | None
    due_on: date | None
    due_provisional: bool
    working_days: int  # late (overdue) / left (due soon) / idle; 0 for blocked
    updated_at: datetime
    blocked_reason: str | None


class StuckPage(Out):
    items: list[StuckCase]
    total: int  # exact up to COUNT_CAP; total_capped says the real number is larger
    total_capped: bool
    limit: int
    offset: int


async def stuck_filter(  # async: a sync dependency costs a thread-pool hand-off on every request
    reason: Reason,
    working_days: Annotated[int, Query(ge=0, le=60, description="即将到期：N个工作日内；长时间未办理：N个工作日")] = 3,
    county_code: Annotated[str | None, Query(pattern=r"^\d{6}$")] = None,
    township_code: Annotated[str | None, Query(pattern=r"^\d{9}$")] = None,
    step: Step | None = None,
    assignee_id: UUID | None = None,
) -> StuckFilter:
    return StuckFilter(reason, working_days, county_code, township_code, step, assignee_id)


FilterDep = Annotated[StuckFilter, Depends(stuck_filter)]


_STEP_ZH = {s.value: s.zh for s in Step}


@router.get("/stuck", summary="需要关注的案件：已逾期、即将到期、长时间未办理、自动处理受阻")
async def stuck(
    f: FilterDep, actor: ActorDep, resources: ResourcesDep, today: TodayDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50, offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> StuckPage:
    require(actor, *_SUPERVISORS)
    rows, counted = await stuck_view(resources.sessions, actor, f, today, limit, offset)
    # Validated once, as a whole, from the records (pydantic's core does the work; FastAPI then only dumps it).
    return StuckPage.model_validate({
        "items": [{**r, "reason": f.reason, "step_zh": _STEP_ZH[r["step"]], "working_days": d} for r, d in rows],
        "total": min(counted, COUNT_CAP), "total_capped": counted > COUNT_CAP, "limit": limit, "offset": offset})


@router.get("/stuck-tasks", summary="需要关注的其他事项（异议核实、整改、投诉等）：已逾期、即将到期")
async def stuck_other_tasks(
    actor: ActorDep, session: SessionDep, today: TodayDep,
    reason: Literal[Reason.OVERDUE, Reason.DUE_SOON] = Reason.OVERDUE,
    working_days: Annotated[int, Query(ge=0, le=60)] = 3,
    township_code: Annotated[str | None, Query(pattern=r"^\d{9}$")] = None, kind: TaskKind | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50, offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> TaskPage:
    require(actor, *_SUPERVISORS)
    return await stuck_tasks(session, actor, reason, working_days, today, township_code, kind, limit, offset)


_HEADERS = ("案件编号", "关注原因", "服务对象", "乡镇(街道)", "村(社区)", "所处环节", "经办人", "到期日",
            "逾期/剩余/未办理工作日", "到期日为暂算", "受阻原因", "最近办理时间")


@router.get("/stuck/export", summary="导出当前筛选结果（XLSX 或 CSV）", response_class=Response,
            responses=EXPORT_RESPONSES)
async def export_stuck(
    f: FilterDep, actor: ActorDep, session: SessionDep, today: TodayDep, format: Literal["xlsx", "csv"] = "xlsx"
) -> Response:
    require(actor, *_SUPERVISORS)
    rows, _, _ = await stuck_page(session, actor, f, today, EXPORT_LIMIT, 0, with_total=False)
    table = [
        (str(r.id), f.reason.zh, r.person_name, r.township_name or r.township_code,
         r.village_name or r.village_code, Step(r.step).zh, r.assignee_name,
         r.due_on.isoformat() if r.due_on else None, d, "是" if r.due_provisional else "否", r.blocked_reason,
         r.updated_at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M"))
        for r, d in rows
    ]
    name = f"关注案件-{f.reason.zh}-{today:%Y%m%d}"
    if format == "csv":
        return download(csv_bytes(_HEADERS, table), f"{name}.csv", "text/csv; charset=utf-8")
    return download(xlsx_bytes(f.reason.zh, _HEADERS, table), f"{name}.xlsx", XLSX)


class SummaryRow(Out):
    township_code: str
    step: str
    open_cases: int | None = None
    finished: int | None = None
    p50_days: float | None = None
    p90_days: float | None = None


class Summary(Out):
    counts: list[SummaryRow]
    durations: list[SummaryRow]


# Time spent per step: a stay starts where the step changes or the case ends (an outcome is set), and ends at the
# next such change.
_DURATIONS = text("""
WITH t AS (
    SELECT a.case_id, a.seq, a.at, a.after->'position'->>'step' AS step, a.after->'position'->>'outcome' AS status,
           lag(a.after->'position'->>'step') OVER w AS prev_step,
           lag(a.after->'position'->>'outcome') OVER w AS prev_status
    FROM audit_log a JOIN cases c ON c.id = a.case_id
    WHERE a.seq IS NOT NULL AND c.village_code LIKE :scope
    WINDOW w AS (PARTITION BY a.case_id ORDER BY a.seq)
), stays AS (
    SELECT case_id, step, at AS entered, lead(at) OVER (PARTITION BY case_id ORDER BY seq) AS left_at
    FROM t WHERE prev_step IS DISTINCT FROM step OR prev_status IS DISTINCT FROM status
)
SELECT c.township_code, s.step, count(*) AS finished,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM s.left_at - s.entered)) / 86400 AS p50,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM s.left_at - s.entered)) / 86400 AS p90
FROM stays s JOIN cases c ON c.id = s.case_id
WHERE s.left_at >= :since AND s.left_at < :until
GROUP BY c.township_code, s.step ORDER BY c.township_code, s.step
""")


@router.get("/summary", summary="各乡镇各环节在办案件数，及一段时间内各环节办理用时（天）中位数与90分位")
async def summary(
    actor: ActorDep, session: SessionDep, since: date, until: date,
) -> Summary:
    require(actor, *_SUPERVISORS)
    if until < since:
        raise ApiError(422, "bad_period", "结束日期不能早于开始日期")
    c = CASES.c
    counts = (await session.execute(
        CASES.select().with_only_columns(c.township_code, c.step, text("count(*) AS open_cases"))
        .where(c.status == "open", case_scope(actor)).group_by(c.township_code, c.step)
        .order_by(c.township_code, c.step)
    )).all()
    # Inclusive of the whole `until` day, in China time.
    bounds = {"since": datetime.combine(since, time(0), tzinfo=CHINA),
              "until": datetime.combine(until, time(0), tzinfo=CHINA) + timedelta(days=1)}
    rows = (await session.execute(_DURATIONS, {"scope": f"{actor.jurisdiction}%", **bounds})).all()
    return Summary(
        counts=[SummaryRow.model_validate(dict(r._mapping)) for r in counts],
        durations=[SummaryRow(township_code=r.township_code, step=r.step, finished=r.finished,
                              p50_days=round(r.p50, 2), p90_days=round(r.p90, 2)) for r in rows],
    )


class BulkReassign(Schema):
    case_ids: list[UUID] = Field(min_length=1, max_length=200)
    assignee_id: UUID
    reason: Annotated[str, Field(min_length=1, max_length=500)]


class ReassignResult(Out):
    case_id: UUID
    ok: bool
    code: str | None = None
    message: str | None = None


async def _reassign_one(resources: Resources, actor: Actor, case_id: UUID, form: ReassignForm,
                        assignee_scope: str, key: str | None) -> ReassignResult:
    # The batch's key becomes one key per case (bound durably with that case's step, as for a single
    # reassignment): a retried batch moves no case twice, and each case answers as the first time.
    request = request_key(f"bulk:{hashlib.sha256(key.encode()).hexdigest()[:32]}:{case_id}" if key else None,
                          f"reassign {case_id}", resources.settings.id_hash_key, form)
    try:
        async with resources.sessions() as session:
            case = await load_case(session, actor, case_id)
            if await replay(session, actor, request) is not None:
                return ReassignResult(case_id=case_id, ok=True)
        if not case.village_code.startswith(assignee_scope):
            raise ApiError(422, "bad_assignee", "新经办人不负责该案件所在辖区")
        try:
            await workflow_calls.take(resources, case_id, process.REASSIGN, actor, form, request)
        except ApiError as err:
            await replay_after(resources.sessions, actor, request, err)
        return ReassignResult(case_id=case_id, ok=True)
    except ApiError as err:
        return ReassignResult(case_id=case_id, ok=False, code=err.code, message=err.message)


@router.post("/reassign", summary="批量改派经办人（逐案办理，返回每个案件的结果）")
async def bulk_reassign(
    body: BulkReassign, actor: ActorDep, session: SessionDep, resources: ResourcesDep, key: IdempotencyKey = None,
) -> list[ReassignResult]:
    require(actor, Role.TOWNSHIP_WORKER, Role.COUNTY_OFFICER)
    assignee = (await session.execute(
        USERS.select().where(USERS.c.id == body.assignee_id, USERS.c.active.is_(True))
    )).first()
    if assignee is None or assignee.role != Role.TOWNSHIP_WORKER.value:
        raise ApiError(422, "bad_assignee", "新经办人应为在岗的乡镇(街道)社会救助工作人员")
    await session.close()
    form = ReassignForm(assignee_id=body.assignee_id, reason=body.reason)
    gate = asyncio.Semaphore(8)

    async def one(case_id: UUID) -> ReassignResult:
        async with gate:
            return await _reassign_one(resources, actor, case_id, form, assignee.jurisdiction, key)

    return list(await asyncio.gather(*(one(cid) for cid in dict.fromkeys(body.case_ids))))

