"""The yearly settlement of neighbour help (补贴由乡镇审核按年发放): a county officer (for the county's townships)
or a township worker (for its own) runs a year; the county officer approves or returns each township's statement
under the settlement_approval deadline; approval locks it and writes the payment files (XLSX and a bank CSV,
SHA-256 recorded); the township then records the payment (发放)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from activities.modes.neighbour.decide import approve, file_rows, mark_paid, return_statement
from activities.modes.neighbour.year import run_township, townships_with_records
from api.deps import ActorDep, ResourcesDep, SessionDep, TodayDep
from api.documents import respond
from api.errors import ApiError
from api.exports import EXPORT_RESPONSES
from api.neighbour_access import SUPERVISORS, county_officer, refusals, sees_township
from models.documents.tables import DOCUMENTS
from models.modes.neighbour import YEAR_FILES, YEAR_STATEMENTS
from models.modes.neighbour_schemas import (
    YearApproveIn,
    YearFileOut,
    YearLineOut,
    YearPaymentIn,
    YearReturnIn,
    YearRunIn,
    YearRunOut,
    YearStatementDetail,
    YearStatementOut,
)
from models.payloads.actor import Actor
from vocabulary.case import Role
from vocabulary.neighbour import LineKind, RateBasis, YearStatus
from vocabulary.settlement import FileKind

router = APIRouter(prefix="/neighbour-settlements", tags=["资金结算"])
_s = YEAR_STATEMENTS.c


def _out(row: Any) -> dict[str, Any]:
    return {**row._mapping, "status_zh": YearStatus.label(row.status)}


async def _load(session: AsyncSession, actor: Actor, statement_id: UUID) -> Any:
    row = (await session.execute(select(YEAR_STATEMENTS).where(_s.id == statement_id))).first()
    # A statement the actor may not see answers exactly like one that does not exist.
    if row is None or not sees_township(actor, row.township_code):
        raise ApiError(404, "statement_not_found", "结算单不存在")
    return row


@router.post("", summary="按年度结算邻里互助帮扶补贴（县级为全县各乡镇，乡镇为本乡镇；可重复运行）")
async def run_year(body: YearRunIn, actor: ActorDep, session: SessionDep, today: TodayDep) -> YearRunOut:
    if actor.role not in (Role.COUNTY_OFFICER, Role.TOWNSHIP_WORKER) or len(actor.jurisdiction) not in (6, 9):
        raise ApiError(403, "wrong_role", "年度结算由县级民政部门或乡镇(街道)办理")
    if today <= date(body.year, 12, 31):
        raise ApiError(422, "year_not_ended", f"{body.year}年度尚未结束，不能结算")
    statements: list[UUID] = []
    locked: list[UUID] = []
    unrated = 0
    for township in await townships_with_records(session, actor.jurisdiction, body.year):
        result = await run_township(session, township, body.year, today)
        await session.commit()  # one transaction per township
        unrated += result.unrated
        if result.statement_id is not None:
            (locked if result.locked else statements).append(result.statement_id)
    return YearRunOut(year=body.year, statements=statements, locked=locked, unrated=unrated)


@router.get("", summary="邻里互助补贴年度结算单列表")
async def list_statements(actor: ActorDep, session: SessionDep,
                          year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
                          status: YearStatus | None = None) -> list[YearStatementOut]:
    if actor.role not in SUPERVISORS:
        return []
    where = [_s.township_code.startswith(actor.jurisdiction, autoescape=True)]
    if year is not None:
        where.append(_s.year == year)
    if status is not None:
        where.append(_s.status == status.value)
    rows = (await session.execute(select(YEAR_STATEMENTS).where(*where).order_by(
        _s.year.desc(), _s.township_code))).all()
    return [YearStatementOut.model_validate(_out(r)) for r in rows]


@router.get("/{year_statement_id}", summary="邻里互助补贴年度结算单：每位互助员的补贴、支付文件")
async def get_statement(year_statement_id: UUID, actor: ActorDep, session: SessionDep) -> YearStatementDetail:
    statement_id = year_statement_id
    row = await _load(session, actor, statement_id)
    lines = (await session.execute(text("""
        SELECT l.helper_id, h.name AS helper_name, h.village_code, l.service_year, l.kind, l.basis, l.unit_amount,
               l.quantity, l.record_count, l.amount
        FROM neighbour_statement_lines l JOIN neighbour_helpers h ON h.id = l.helper_id
        WHERE l.statement_id = :id ORDER BY h.village_code, h.name, h.id, l.service_year, l.basis, l.unit_amount
    """), {"id": statement_id})).all()
    return YearStatementDetail.model_validate({
        **_out(row),
        "lines": [YearLineOut.model_validate({**x._mapping, "kind_zh": LineKind.label(x.kind),
                                              "basis_zh": RateBasis.label(x.basis)}) for x in lines],
        "files": [YearFileOut.model_validate(f) for f in await file_rows(session, statement_id)],
    })


@router.post("/{year_statement_id}/approval", summary="县级民政部门审批年度结算单（锁定并生成支付文件）")
async def approve_statement(year_statement_id: UUID, body: YearApproveIn, actor: ActorDep, session: SessionDep,
                            resources: ResourcesDep) -> YearStatementDetail:
    statement_id = year_statement_id
    await _load(session, actor, statement_id)
    county_officer(actor)
    async with refusals():
        await approve(session, resources.documents, resources.settings.id_cipher_key, statement_id, body.version,
                      actor.user_id, actor.role.value)
    await session.commit()
    return await get_statement(statement_id, actor, session)


@router.post("/{year_statement_id}/return", summary="县级民政部门退回年度结算单（写明理由，重新结算后再审批）")
async def return_year(year_statement_id: UUID, body: YearReturnIn, actor: ActorDep,
                      session: SessionDep) -> YearStatementDetail:
    statement_id = year_statement_id
    await _load(session, actor, statement_id)
    county_officer(actor)
    async with refusals():
        await return_statement(session, statement_id, body.version, body.reason, actor.user_id, actor.role.value)
    await session.commit()
    return await get_statement(statement_id, actor, session)


@router.post("/{year_statement_id}/payment", summary="乡镇(街道)登记补贴已发放（凭证号、发放日期）")
async def pay(year_statement_id: UUID, body: YearPaymentIn, actor: ActorDep,
              session: SessionDep) -> YearStatementDetail:
    statement_id = year_statement_id
    await _load(session, actor, statement_id)
    if actor.role not in (Role.TOWNSHIP_WORKER, Role.COUNTY_OFFICER):
        raise ApiError(403, "wrong_role", "补贴发放由乡镇(街道)或县级民政部门登记")
    async with refusals():
        await mark_paid(session, statement_id, body.paid_on, body.voucher_no, actor.user_id, actor.role.value)
    await session.commit()
    return await get_statement(statement_id, actor, session)


@router.get("/{year_statement_id}/files/{kind}", summary="下载支付文件（xlsx 或银行可读的 csv）",
            response_class=Response, responses=EXPORT_RESPONSES)
async def download(year_statement_id: UUID, kind: FileKind, actor: ActorDep,
                   session: SessionDep, resources: ResourcesDep) -> Response:
    statement_id = year_statement_id
    await _load(session, actor, statement_id)
    f = YEAR_FILES.c
    row = (await session.execute(select(DOCUMENTS).join(YEAR_FILES, f.document_id == DOCUMENTS.c.id)
                                 .where(f.statement_id == statement_id, f.kind == kind.value))).first()
    if row is None:
        raise ApiError(404, "file_not_ready", "结算单尚未审批，支付文件尚未生成")
    return await respond(session, resources.documents, actor, row, download=True)
