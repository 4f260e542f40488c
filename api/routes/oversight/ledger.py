"""The needs ledger (需求台账) of a village, a township or the county, as JSON and as XLSX."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from activities.oversight.ledger import ledger, ledger_xlsx
from activities.oversight.notices import division_names
from api.deps import ActorDep, SessionDep
from api.exports import EXPORT_RESPONSES, XLSX, download
from api.oversight_access import STAFF, not_found, within
from models.oversight.report_schemas import LedgerOut

router = APIRouter(prefix="/ledger", tags=["需求台账"])
DivisionQuery = Annotated[str | None, Query(pattern=r"^\d{6}(\d{3}(\d{3})?)?$", description="村、乡镇或县的代码")]


def _scope(actor: Any, division_code: str | None) -> str:
    code = division_code or actor.jurisdiction
    if not within(actor, code, STAFF) or len(code) < 6:
        raise not_found("辖区")
    return str(code)


@router.get("", summary="需求台账：七个维度的需求、本人诉求、批准的服务与未满足的需求（汇总与明细）")
async def get_ledger(actor: ActorDep, session: SessionDep, division_code: DivisionQuery = None,
                     limit: Annotated[int, Query(ge=1, le=1000)] = 200,
                     offset: Annotated[int, Query(ge=0)] = 0) -> LedgerOut:
    scope = _scope(actor, division_code)
    summary, lines = await ledger(session, scope)
    return LedgerOut.model_validate({"division_code": scope, "summary": summary, "total": len(lines),
                                     "lines": lines[offset:offset + limit]})


@router.get("/export", summary="导出需求台账（XLSX：汇总、明细）", response_class=Response,
            responses=EXPORT_RESPONSES)
async def export_ledger(actor: ActorDep, session: SessionDep, division_code: DivisionQuery = None) -> Response:
    scope = _scope(actor, division_code)
    summary, lines = await ledger(session, scope)
    name = (await division_names(session, [scope])).get(scope, scope)
    return download(ledger_xlsx(name, summary, lines), f"{name}需求台账.xlsx", XLSX)
