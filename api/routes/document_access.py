"""The record of who viewed, downloaded or printed which document, when — for the auditor (and the county
officer) of the jurisdiction the documents belong to: filtered by case, user, action and time, paged, and
exported as XLSX or CSV exactly as filtered."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Response
from sqlalchemy import ColumnElement, Select, func, select

from api.deps import ActorDep, SessionDep, require
from api.errors import ApiError
from api.exports import EXPORT_RESPONSES, XLSX, csv_bytes, download, xlsx_bytes
from models.case_tables import ARCHIVES
from models.documents.schemas import AccessOut, AccessPage
from models.documents.tables import DOCUMENT_ACCESSES, DOCUMENTS
from models.payloads.actor import Actor
from models.tables import USERS
from policy.documents import kind_label
from vocabulary.case import Role
from vocabulary.china import CHINA
from vocabulary.documents import AccessAction, DocumentCategory

router = APIRouter(prefix="/document-access", tags=["档案材料"])
_x, _d = DOCUMENT_ACCESSES.c, DOCUMENTS.c
EXPORT_LIMIT = 50_000
HEADERS = ("时间", "操作", "材料", "版本", "文件名", "服务号", "案件编号", "查看人", "角色", "用户编号")


def _where(actor: Actor, case_id: UUID | None, user_id: UUID | None, action: AccessAction | None,
           since: datetime | None, until: datetime | None) -> list[ColumnElement[bool]]:
    require(actor, Role.AUDITOR, Role.COUNTY_OFFICER)
    for moment in (since, until):
        if moment is not None and moment.tzinfo is None:
            raise ApiError(422, "invalid_input", "时间须带时区，例如 2026-11-20T09:00:00+08:00")
    where = [_x.division_code.startswith(actor.jurisdiction, autoescape=True)]
    for column, value in ((_x.case_id, case_id), (_x.user_id, user_id)):
        if value is not None:
            where.append(column == value)
    if action is not None:
        where.append(_x.action == action.value)
    if since is not None:
        where.append(_x.at >= since)
    if until is not None:
        where.append(_x.at < until)
    return where


def _query(where: list[ColumnElement[bool]]) -> Select[Any]:
    return (select(_x.id, _x.at, _x.action, _x.document_id, _x.case_id, _x.user_id, _x.role, _d.category, _d.kind,
                   _d.filename, _d.version, ARCHIVES.c.service_no, USERS.c.full_name.label("user_name"))
            .join(DOCUMENTS, _d.id == _x.document_id).outerjoin(ARCHIVES, ARCHIVES.c.case_id == _x.case_id)
            .outerjoin(USERS, USERS.c.id == _x.user_id).where(*where).order_by(_x.at.desc(), _x.id.desc()))


def _out(row: Any) -> AccessOut:
    return AccessOut.model_validate({
        **row._mapping, "action_zh": AccessAction(row.action).zh,
        "kind_zh": kind_label(DocumentCategory(row.category), row.kind)})



@router.get("", summary="材料查看、下载、打印记录（审计）：按案件、用户、操作、时间筛选")
async def list_accesses(
    actor: ActorDep, session: SessionDep, case_id: UUID | None = None, user_id: UUID | None = None,
    action: AccessAction | None = None, since: datetime | None = None, until: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100, offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> AccessPage:
    where = _where(actor, case_id, user_id, action, since, until)
    total = (await session.execute(select(func.count()).select_from(DOCUMENT_ACCESSES).where(*where))).scalar_one()
    rows = (await session.execute(_query(where).limit(limit).offset(offset))).all()
    return AccessPage(items=[_out(r) for r in rows], total=total, limit=limit, offset=offset)


@router.get("/export", summary="导出材料查看记录（XLSX 或 CSV，与筛选条件一致）", response_class=Response,
            responses=EXPORT_RESPONSES)
async def export_accesses(
    actor: ActorDep, session: SessionDep, format: Literal["xlsx", "csv"] = "xlsx", case_id: UUID | None = None,
    user_id: UUID | None = None, action: AccessAction | None = None, since: datetime | None = None,
    until: datetime | None = None,
) -> Response:
    where = _where(actor, case_id, user_id, action, since, until)
    rows = (await session.execute(_query(where).limit(EXPORT_LIMIT + 1))).all()
    if len(rows) > EXPORT_LIMIT:
        raise ApiError(422, "export_too_large", f"记录超过 {EXPORT_LIMIT} 条，请缩小时间范围后分批导出")
    table = [(o.at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S"), o.action_zh, o.kind_zh, o.version, o.filename,
              o.service_no, str(o.case_id or ""), o.user_name, Role.label(o.role), str(o.user_id))
             for o in map(_out, rows)]
    if format == "csv":
        return download(csv_bytes(HEADERS, table), "材料查看记录.csv", "text/csv; charset=utf-8")
    return download(xlsx_bytes("材料查看记录", HEADERS, table), "材料查看记录.xlsx", XLSX)
