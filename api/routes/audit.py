"""The audit trail for auditors (审计/纪检) and county officers: by case, actor and time, exported, and verified
against its hash chain (tamper evidence). Only rows inside the reader's jurisdiction are shown."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Response
from sqlalchemy import ColumnElement, Select, and_, or_, select

from api.access import case_scope
from api.deps import ActorDep, SessionDep, require
from api.exports import EXPORT_RESPONSES, XLSX, csv_bytes, download, xlsx_bytes
from infra.audit_chain import verify
from models.payloads.actor import Actor
from models.schemas import Out
from models.tables import AUDIT, CASES, USERS
from vocabulary.case import Action, Role
from vocabulary.china import CHINA

router = APIRouter(prefix="/audit", tags=["审计"])
_a = AUDIT.c
_READERS = (Role.AUDITOR, Role.COUNTY_OFFICER)
EXPORT_LIMIT = 100_000


class AuditRow(Out):
    id: int
    chain_seq: int | None
    case_id: UUID | None
    seq: int | None
    action: str
    action_zh: str
    actor_id: UUID
    actor_name: str | None
    actor_role: str
    at: datetime
    after: dict[str, Any] | None
    row_hash: str | None


class AuditPage(Out):
    items: list[AuditRow]
    limit: int
    offset: int


class ChainOut(Out):
    ok: bool
    rows: int
    head_seq: int | None
    head_hash: str | None
    broken_at: int | None
    unchained: int


def _scope(actor: Actor) -> ColumnElement[bool]:
    """A case's rows when the case is in the reader's jurisdiction; other rows (configuration, sensitive reads)
    when their actor belongs to it."""
    in_cases = _a.case_id.in_(select(CASES.c.id).where(case_scope(actor)))
    by_own = and_(_a.case_id.is_(None), USERS.c.jurisdiction.startswith(actor.jurisdiction, autoescape=True))
    return or_(in_cases, by_own)


def _query(actor: Actor, case_id: UUID | None, actor_id: UUID | None, since: date | None,
           until: date | None, action: str | None) -> Select[Any]:
    where = [_scope(actor)]
    if case_id is not None:
        where.append(_a.case_id == case_id)
    if actor_id is not None:
        where.append(_a.actor_id == actor_id)
    if action is not None:
        where.append(_a.action == action)
    if since is not None:
        where.append(_a.at >= datetime.combine(since, time(0), tzinfo=CHINA))
    if until is not None:
        where.append(_a.at < datetime.combine(until, time(0), tzinfo=CHINA) + timedelta(days=1))
    return (select(_a.id, _a.chain_seq, _a.case_id, _a.seq, _a.action, _a.actor_id, _a.actor_role, _a.at, _a.after,
                   _a.row_hash, USERS.c.full_name.label("actor_name"))
            .outerjoin(USERS, USERS.c.id == _a.actor_id).where(*where).order_by(_a.at, _a.id))


def _row(r: Any) -> AuditRow:
    return AuditRow.model_validate({**r._mapping, "action_zh": _label(r.action)})


def _label(action: str) -> str:
    return _OTHER.get(action) or Action.label(action)


_OTHER = {"read_sensitive": "查阅敏感个人信息", "service_record": "录入服务记录", "service_confirmed": "确认服务记录",
          "archive_file": "上传档案材料", "calendar_loaded": "录入节假日安排", "deadline_rules_changed": "调整办理时限"}

Since = Annotated[date | None, Query(description="起始日期（含）")]
Until = Annotated[date | None, Query(description="截止日期（含）")]


@router.get("", summary="审计日志：按案件、操作人、时间查询")
async def audit_log(
    actor: ActorDep, session: SessionDep, case_id: UUID | None = None, actor_id: UUID | None = None,
    since: Since = None, until: Until = None, action: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100, offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> AuditPage:
    require(actor, *_READERS)
    rows = (await session.execute(_query(actor, case_id, actor_id, since, until, action)
                                  .limit(limit).offset(offset))).all()
    return AuditPage(items=[_row(r) for r in rows], limit=limit, offset=offset)


_HEADERS = ("链序号", "时间", "案件编号", "案件步骤序号", "操作", "操作人", "操作人角色", "行哈希")


@router.get("/export", summary="导出审计日志（XLSX 或 CSV）", response_class=Response,
            responses=EXPORT_RESPONSES)
async def export(
    actor: ActorDep, session: SessionDep, case_id: UUID | None = None, actor_id: UUID | None = None,
    since: Since = None, until: Until = None, format: Literal["xlsx", "csv"] = "xlsx",
) -> Response:
    require(actor, *_READERS)
    rows = (await session.execute(_query(actor, case_id, actor_id, since, until, None).limit(EXPORT_LIMIT))).all()
    table = [(r.chain_seq, r.at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S"), str(r.case_id or ""), r.seq,
              _label(r.action), r.actor_name or str(r.actor_id), Role.label(r.actor_role), r.row_hash) for r in rows]
    if format == "csv":
        return download(csv_bytes(_HEADERS, table), "审计日志.csv", "text/csv; charset=utf-8")
    return download(xlsx_bytes("审计日志", _HEADERS, table), "审计日志.xlsx", XLSX)


@router.get("/verify", summary="校验审计日志哈希链是否完整（是否被篡改）")
async def verify_chain(actor: ActorDep, session: SessionDep) -> ChainOut:
    require(actor, *_READERS)
    report = await verify(session)
    return ChainOut(ok=report.ok, rows=report.rows, head_seq=report.head_seq, head_hash=report.head_hash,
                    broken_at=report.broken_at, unchained=report.unchained)
