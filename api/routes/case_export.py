"""The case list as a spreadsheet: exactly the rows the list shows under the same filters (XLSX, or CSV in
UTF-8 with a BOM for Excel). Names and codes only; never an ID number."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Response
from sqlalchemy import select
from sqlalchemy.orm import aliased

from api.access import case_scope
from api.deps import ActorDep, SessionDep, require
from api.exports import EXPORT_RESPONSES, XLSX, csv_bytes, download, xlsx_bytes
from models.tables import CASES, DIVISIONS, PERSONS, USERS
from vocabulary.case import Role, Step
from vocabulary.china import CHINA

router = APIRouter(prefix="/exports", tags=["案件"])
EXPORT_LIMIT = 50_000
_c = CASES.c
_HEADERS = ("案件编号", "服务对象", "乡镇(街道)", "村(社区)", "所处环节", "状态", "当前办理岗位", "经办人",
            "到期日", "到期日为暂算", "服务号", "受理时间", "最近办理时间")
_STATUS_ZH = {"open": "在办", "closed": "已办结"}


def _when(at: datetime | None) -> str | None:
    return at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M") if at else None


@router.get("/cases", summary="导出案件列表（与案件列表相同的筛选条件；XLSX 或 CSV）", response_class=Response,
            responses=EXPORT_RESPONSES)
async def export_cases(
    actor: ActorDep,
    session: SessionDep,
    step: Step | None = None,
    status: Annotated[str | None, Query(pattern="^(open|closed)$")] = None,
    township_code: Annotated[str | None, Query(pattern=r"^\d{9}$")] = None,
    village_code: Annotated[str | None, Query(pattern=r"^\d{12}$")] = None,
    assignee_id: UUID | None = None,
    format: Literal["xlsx", "csv"] = "xlsx",
) -> Response:
    require(actor, Role.TOWNSHIP_WORKER, Role.VILLAGE_ASSISTANT, Role.COUNTY_OFFICER, Role.AUDITOR, Role.PROVIDER)
    where = [case_scope(actor)]
    for column, value in ((_c.step, step.value if step else None), (_c.status, status),
                          (_c.township_code, township_code), (_c.village_code, village_code),
                          (_c.assignee_id, assignee_id)):
        if value is not None:
            where.append(column == value)
    township, village = aliased(DIVISIONS), aliased(DIVISIONS)
    rows = (await session.execute(
        select(_c.id, _c.step, _c.status, _c.holder_role, _c.township_code, _c.village_code, _c.due_on,
               _c.due_provisional, _c.service_no, _c.opened_at, _c.updated_at, PERSONS.c.name.label("person_name"),
               USERS.c.full_name.label("assignee_name"), township.c.name.label("township_name"),
               village.c.name.label("village_name"))
        .join(PERSONS, PERSONS.c.id == _c.person_id)
        .outerjoin(USERS, USERS.c.id == _c.assignee_id)
        .outerjoin(township, township.c.code == _c.township_code)
        .outerjoin(village, village.c.code == _c.village_code)
        .where(*where).order_by(_c.updated_at.desc(), _c.id).limit(EXPORT_LIMIT)
    )).all()
    table = [
        (str(r.id), r.person_name, r.township_name or r.township_code, r.village_name or r.village_code,
         Step(r.step).zh, _STATUS_ZH.get(r.status, r.status),
         Role(r.holder_role).zh if r.holder_role else None, r.assignee_name,
         r.due_on.isoformat() if r.due_on else None, "是" if r.due_provisional else "否", r.service_no,
         _when(r.opened_at), _when(r.updated_at))
        for r in rows
    ]
    name = f"案件列表-{datetime.now(CHINA):%Y%m%d}"
    if format == "csv":
        return download(csv_bytes(_HEADERS, table), f"{name}.csv", "text/csv; charset=utf-8")
    return download(xlsx_bytes("案件列表", _HEADERS, table), f"{name}.xlsx", XLSX)
