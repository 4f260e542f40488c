"""Statements (结算单): list and read them within jurisdiction, approve or return them, mark them paid,
download the payment files; and a case's own statements, read through the case."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from activities.settlement.statements import file_refs
from api.access import load_case
from api.deps import ActorDep, IdempotencyKey, Resources, ResourcesDep, SessionDep, require
from api.documents import respond
from api.errors import ApiError
from api.exports import EXPORT_RESPONSES
from api.idempotency import request_key
from api.idempotent_writes import bind, replayed
from api.settlement_access import READERS, in_statement_scope, statement_scope
from api.settlement_reads import fund_check_of
from api.workflow_calls import Answers, call_workflow, update_id
from models.documents.tables import DOCUMENTS
from models.payloads.actor import Actor, Command
from models.payloads.base import Payload
from models.settlement.payloads import ApproveForm, PaymentForm, ReturnStatementForm
from models.settlement.schemas import (
    CaseStatementOut,
    FundTotalOut,
    StatementDetail,
    StatementFileOut,
    StatementLineOut,
    StatementOut,
    StatementPage,
)
from models.settlement.tables import (
    STATEMENT_FILES,
    STATEMENT_FUND_TOTALS,
    STATEMENT_LINES,
    STATEMENT_RECORDS,
    STATEMENTS,
)
from models.tables import PROVIDERS
from vocabulary.settlement import LOCKED, FileKind, FundingSource, LineKind, StatementStatus
from workflows.settlement_statement import StatementWorkflow, statement_workflow_id

router = APIRouter(tags=["资金结算"])
_s, _l = STATEMENTS.c, STATEMENT_LINES.c
_COLUMNS = (STATEMENTS, PROVIDERS.c.name.label("provider_name"))
_STATUS = {"wrong_role": 403, "out_of_jurisdiction": 404, "statement_not_found": 404}


def _out(row: Any) -> dict[str, Any]:
    data = dict(row._mapping)
    data["status_zh"] = StatementStatus.label(data["status"])
    return data


async def _load(session: AsyncSession, actor: Actor, statement_id: UUID) -> Any:
    require(actor, *READERS)
    row = (await session.execute(select(*_COLUMNS).join(PROVIDERS, PROVIDERS.c.id == _s.provider_id)
                                 .where(_s.id == statement_id))).first()
    # A statement the actor may not see answers exactly like one that does not exist.
    if row is None or not in_statement_scope(actor, row):
        raise ApiError(404, "statement_not_found", "结算单不存在")
    return row


@router.get("/statements", summary="结算单列表（按期间、状态筛选，分页）")
async def list_statements(
    actor: ActorDep, session: SessionDep,
    period: Annotated[str | None, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")] = None,
    status: StatementStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50, offset: Annotated[int, Query(ge=0)] = 0,
) -> StatementPage:
    require(actor, *READERS)
    where = [statement_scope(actor)]
    if period is not None:
        where.append(_s.period == period)
    if status is not None:
        where.append(_s.status == status.value)
    total = (await session.execute(select(func.count()).select_from(STATEMENTS).where(*where))).scalar_one()
    rows = (await session.execute(select(*_COLUMNS).join(PROVIDERS, PROVIDERS.c.id == _s.provider_id).where(*where)
                                  .order_by(_s.period.desc(), _s.statement_no).limit(limit).offset(offset))).all()
    return StatementPage(items=[StatementOut.model_validate(_out(r)) for r in rows], total=total, limit=limit,
                         offset=offset)


@router.get("/statements/{statement_id}", summary="结算单：合计、按资金来源合计、1%核对、支付文件")
async def get_statement(statement_id: UUID, actor: ActorDep, session: SessionDep) -> StatementDetail:
    row = await _load(session, actor, statement_id)
    t, r = STATEMENT_FUND_TOTALS.c, STATEMENT_RECORDS.c
    funds = (await session.execute(select(STATEMENT_FUND_TOTALS).where(t.statement_id == statement_id)
                                   .order_by(t.funding_source, t.government_funded))).all()
    files = await file_refs(session, statement_id)
    flagged = (await session.execute(select(r.outcome, func.count()).where(
        r.statement_id == statement_id, r.outcome != "paid").group_by(r.outcome))).all()
    return StatementDetail.model_validate({
        **_out(row),
        "fund_totals": [FundTotalOut(funding_source=x.funding_source, government_funded=x.government_funded,
                                     funding_source_zh=FundingSource.label(x.funding_source),
                                     amount=x.amount) for x in funds],
        "fund_check": await fund_check_of(session, row.county_code, row.period),
        "files": [StatementFileOut.model_validate(x) for x in files],
        "flagged": {x.outcome: x[1] for x in flagged},
    })


@router.get("/statements/{statement_id}/lines", summary="结算明细：每个服务对象、每个服务事项一行")
async def statement_lines(
    statement_id: UUID, actor: ActorDep, session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200, offset: Annotated[int, Query(ge=0)] = 0,
) -> list[StatementLineOut]:
    await _load(session, actor, statement_id)
    rows = (await session.execute(text("""
        SELECT l.case_id, c.service_no, p.name AS person_name, c.village_code, l.item_code,
               COALESCE(i.name, l.item_code) AS item_name, to_char(l.service_month, 'YYYY-MM') AS service_month,
               l.kind, l.unit_price, l.quantity, l.flagged_quantity, l.record_count, l.amount, l.funding_source,
               l.government_funded
        FROM statement_lines l JOIN cases c ON c.id = l.case_id JOIN persons p ON p.id = c.person_id
        LEFT JOIN service_items i ON i.county_code = c.county_code AND i.code = l.item_code
        WHERE l.statement_id = :id
        ORDER BY c.service_no NULLS LAST, l.case_id, l.item_code, l.service_month, l.unit_price
        LIMIT :limit OFFSET :offset
    """), {"id": statement_id, "limit": limit, "offset": offset})).all()
    return [StatementLineOut.model_validate({**x._mapping, "kind_zh": LineKind.label(x.kind)}) for x in rows]


@router.get("/statements/{statement_id}/files/{kind}", summary="下载支付文件（xlsx 或银行可读的 csv）",
            response_class=Response, responses=EXPORT_RESPONSES)
async def download(statement_id: UUID, kind: FileKind, actor: ActorDep, session: SessionDep,
                   resources: ResourcesDep) -> Response:
    await _load(session, actor, statement_id)
    f = STATEMENT_FILES.c
    row = (await session.execute(select(DOCUMENTS).join(STATEMENT_FILES, f.document_id == DOCUMENTS.c.id)
                                 .where(f.statement_id == statement_id, f.kind == kind.value))).first()
    if row is None:
        raise ApiError(404, "file_not_ready", "结算单尚未审批，或支付文件正在生成")
    # From the document store, the download recorded like every other document's.
    return await respond(session, resources.documents, actor, row, download=True)


_ANSWERS = Answers(_STATUS, ("review_closed", "该结算单的审批流程已结束，请刷新后查看最新状态"),
                   ("settlement_unavailable", "结算服务暂时不可用，请稍后重试"))


async def _decide(resources: Resources, row: Any, update: Any, actor: Actor, form: Payload,
                  key: str | None) -> None:
    handle = resources.temporal.get_workflow_handle_for(StatementWorkflow.run, statement_workflow_id(row.id))

    async def call() -> None:
        await handle.execute_update(update, Command[Any](actor=actor, form=form), id=update_id(actor, key))

    await call_workflow(resources, call, _ANSWERS)


_RETURNED = ("statement_returned", "结算单已退回，待重新结算后再审批")
_LOCKED = ("statement_locked", "结算单已审批锁定，不能退回")
_NOT_APPROVED = ("statement_not_approved", "结算单尚未审批，不能登记支付")
_REFUSED: dict[str, dict[StatementStatus, tuple[str, str]]] = {
    "approve": {StatementStatus.RETURNED: _RETURNED},
    "return": {StatementStatus.APPROVED: _LOCKED, StatementStatus.PAID: _LOCKED},
    "pay": {StatementStatus.DRAFT: _NOT_APPROVED, StatementStatus.RETURNED: _NOT_APPROVED},
}


async def _act(statement_id: UUID, actor: Actor, session: AsyncSession, resources: Resources, update: Any,
               form: Payload, action: str, done: frozenset[StatementStatus], key: str | None) -> StatementDetail:
    row = await _load(session, actor, statement_id)
    # The key is bound to this decision on this statement: a retry answers what the first attempt answered
    # (even after a re-run presented the statement again), another request with it is refused (422).
    request = request_key(key, f"{action} {statement_id}", resources.settings.id_hash_key, form)
    if (again := await replayed(session, actor, request)) is not None:
        return StatementDetail.model_validate(again)
    await session.close()  # no connection held while the workflow works
    status = StatementStatus(row.status)
    if status in _REFUSED[action]:  # its review has ended: the workflow is not asked
        code, message = _REFUSED[action][status]
        raise ApiError(409, code, message)
    if status not in done:  # already there (a double click): answered as it stands
        try:
            await _decide(resources, row, update, actor, form, key)
        except ApiError as err:
            if err.code != "review_closed":
                raise
            # A second click racing the first: the first ended the review before this one reached it.
            if StatementStatus((await _load(session, actor, statement_id)).status) not in done:
                raise
    out = await get_statement(statement_id, actor, session)
    if request is not None:
        async with resources.sessions.begin() as keys:
            again = await bind(keys, actor, request, out)
        return out if again is None else StatementDetail.model_validate(again)
    return out


@router.post("/statements/{statement_id}/approval", summary="购买主体审批结算单（锁定并生成支付文件）")
async def approve(statement_id: UUID, form: ApproveForm, actor: ActorDep, session: SessionDep,
                  resources: ResourcesDep, key: IdempotencyKey = None) -> StatementDetail:
    return await _act(statement_id, actor, session, resources, StatementWorkflow.approve, form, "approve", LOCKED, key)


@router.post("/statements/{statement_id}/return", summary="购买主体退回结算单（写明理由，重新结算后再审批）")
async def return_statement(statement_id: UUID, form: ReturnStatementForm, actor: ActorDep, session: SessionDep,
                           resources: ResourcesDep, key: IdempotencyKey = None) -> StatementDetail:
    return await _act(statement_id, actor, session, resources, StatementWorkflow.return_statement, form, "return",
                      frozenset({StatementStatus.RETURNED}), key)


@router.post("/statements/{statement_id}/payment", summary="登记已支付（付款凭证号、支付日期）")
async def mark_paid(statement_id: UUID, form: PaymentForm, actor: ActorDep, session: SessionDep,
                    resources: ResourcesDep, key: IdempotencyKey = None) -> StatementDetail:
    return await _act(statement_id, actor, session, resources, StatementWorkflow.mark_paid, form, "pay",
                      frozenset({StatementStatus.PAID}), key)


@router.get("/cases/{case_id}/statements", summary="本案件被哪些结算单结算过（一人一档）")
async def case_statements(case_id: UUID, actor: ActorDep, session: SessionDep) -> list[CaseStatementOut]:
    await load_case(session, actor, case_id)
    rows = (await session.execute(
        select(_s.id, _s.statement_no, _s.period, _s.status, _s.provider_id, _s.purchaser_code,
               func.array_agg(func.distinct(_l.item_code)).label("items"),
               func.sum(_l.quantity).label("quantity"), func.sum(_l.flagged_quantity).label("flagged"),
               func.sum(_l.amount).label("amount"), func.bool_or(_l.kind == "adjustment").label("adjustment"))
        .join(STATEMENT_LINES, _l.statement_id == _s.id).where(_l.case_id == case_id)
        .group_by(_s.id).order_by(_s.period, _s.statement_no)
    )).all()
    return [CaseStatementOut(
        statement_id=r.id, statement_no=r.statement_no, period=r.period, status=r.status,
        status_zh=StatementStatus.label(r.status), provider_id=r.provider_id, purchaser_code=r.purchaser_code,
        items=sorted(r.items), quantity=r.quantity, flagged_quantity=r.flagged, amount=r.amount,
        adjustment=r.adjustment) for r in rows]
