"""The month's roster from the low-income monitoring platform: the template, the import (a durable workflow per
file; the same file twice is the same import), its progress, and the workbook of rows not imported with the
Chinese reasons. County officers import for their county; foreign and absent imports answer alike (404)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import quote
from uuid import UUID, uuid4

from fastapi import APIRouter, File, Query, Response, UploadFile
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError

from activities.dynamic.roster import XLSX, seal, template_workbook, unseal
from api.deps import ActorDep, ResourcesDep, SessionDep, require
from api.errors import ApiError
from api.sensitive import Purpose, record_read
from models.dynamic.schemas import ImportOut, ImportPage, ImportRow
from models.dynamic.tables import ROSTER_IMPORTS, RosterImport
from models.payloads.dynamic import RosterStart
from vocabulary.case import Role
from vocabulary.dynamic import ImportStatus
from workflows.dynamic import RosterImportWorkflow, roster_workflow_id

router = APIRouter(prefix="/dynamic", tags=["动态管理"])
_i = ROSTER_IMPORTS.c
MAX_BYTES = 30 * 1024 * 1024


def _download(data: bytes, filename: str) -> Response:
    return Response(data, media_type=XLSX,
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"})


@router.get("/roster-template", summary="下载动态监测名单导入模板(XLSX)", response_class=Response)
async def template(actor: ActorDep) -> Response:
    return _download(template_workbook(), "动态监测名单导入模板.xlsx")


async def _read(file: UploadFile) -> bytes:
    data = await file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ApiError(413, "bad_file_size", "名单文件过大：不能超过 30 MB")
    if not data:
        raise ApiError(422, "empty_file", "名单文件为空")
    if data[:2] != b"PK" and not (file.filename or "").lower().endswith(".csv"):
        raise ApiError(422, "bad_file_type", "名单文件应为 XLSX 或 CSV 格式")
    return data


@router.post("/roster-imports", status_code=202, summary="导入低收入人口动态监测信息平台的月度名单(XLSX或CSV)")
async def import_roster(file: Annotated[UploadFile, File()], actor: ActorDep, session: SessionDep,
                        resources: ResourcesDep, response: Response) -> ImportOut:
    require(actor, Role.COUNTY_OFFICER)
    data = await _read(file)
    digest = hashlib.sha256(data).hexdigest()
    county = actor.jurisdiction[:6]
    created = (await session.execute(insert(RosterImport).values(
        id=uuid4(), county_code=county, jurisdiction=actor.jurisdiction, filename=(file.filename or "名单")[:200],
        sha256=digest, content=seal(data, resources.settings.id_cipher_key), status=ImportStatus.QUEUED.value,
        imported_by=actor.user_id, created_at=datetime.now(UTC),
    ).on_conflict_do_nothing(constraint="uq_roster_file").returning(_i.id))).scalar_one_or_none()
    await session.commit()
    row = (await session.execute(select(ROSTER_IMPORTS).where(_i.county_code == county, _i.sha256 == digest))).one()
    if created is None and row.status != ImportStatus.QUEUED.value:
        response.status_code = 200  # the same file again: the import it already is, nothing imported twice
        return ImportOut.of(row)
    try:
        await resources.temporal.start_workflow(
            RosterImportWorkflow.run, RosterStart(import_id=row.id, actor=actor), id=roster_workflow_id(row.id),
            task_queue=resources.settings.task_queue, id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE)
    except WorkflowAlreadyStartedError:
        response.status_code = 200
    except Exception as err:  # kept as queued; the same file sent again starts it
        raise ApiError(503, "import_unavailable", "名单已接收，导入服务暂时不可用，请稍后重新上传同一文件") from err
    return ImportOut.of(row)


async def _visible(session: Any, actor: Any, import_id: UUID) -> Any:
    row = (await session.execute(select(ROSTER_IMPORTS).where(_i.id == import_id))).one_or_none()
    if row is None or actor.role not in (Role.COUNTY_OFFICER, Role.AUDITOR) or not row.jurisdiction.startswith(
            actor.jurisdiction):
        raise ApiError(404, "import_not_found", "导入记录不存在")
    return row


@router.get("/roster-imports/{import_id}", summary="名单导入进度与结果")
async def import_status(import_id: UUID, actor: ActorDep, session: SessionDep) -> ImportOut:
    return ImportOut.of(await _visible(session, actor, import_id))


@router.get("/roster-imports/{import_id}/errors",
            summary="下载未导入的错误行及原因(XLSX；含身份证号码，每次下载均记入审计日志)", response_class=Response)
async def import_errors(import_id: UUID, actor: ActorDep, session: SessionDep, resources: ResourcesDep,
                        purpose: Purpose = "更正名单错误行") -> Response:
    row = await _visible(session, actor, import_id)
    if row.errors_xlsx is None:
        done = row.status == ImportStatus.DONE.value
        raise ApiError(404, "no_errors", "该名单没有错误行" if done else "导入尚未完成")
    # The rows carry the people's ID numbers as the platform sent them: a read of them (PIPL), recorded first.
    await record_read(session, actor, "roster_error_rows", purpose, import_id=str(import_id))
    return _download(unseal(row.errors_xlsx, resources.settings.id_cipher_key), f"名单错误行-{row.filename}.xlsx")


@router.get("/roster-imports", summary="名单导入记录(最新在前；仅状态与行数，不含姓名、身份证号码)")
async def list_imports(actor: ActorDep, session: SessionDep,
                       limit: Annotated[int, Query(ge=1, le=200)] = 20,
                       offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> ImportPage:
    require(actor, Role.COUNTY_OFFICER, Role.AUDITOR)
    where = _i.jurisdiction.startswith(actor.jurisdiction, autoescape=True)
    total = (await session.execute(select(func.count()).select_from(ROSTER_IMPORTS).where(where))).scalar_one()
    columns = [c for c in ROSTER_IMPORTS.c if c.name not in ("content", "errors_xlsx", "filename", "sha256")]
    rows = (await session.execute(
        select(*columns, _i.errors_xlsx.is_not(None).label("has_errors_file")).where(where)
        .order_by(_i.created_at.desc(), _i.id).limit(limit).offset(offset))).all()
    return ImportPage(items=[ImportRow.of(r) for r in rows], total=total, limit=limit, offset=offset)
