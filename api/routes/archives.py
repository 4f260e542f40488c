"""The one-person file (一人一档): document uploads before the archive step, and the archive as built."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, File, Form, UploadFile
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from api.access import load_case
from api.deps import ActorDep, ResourcesDep, SessionDep, require
from api.errors import ApiError
from models.case_tables import ARCHIVE_DOCUMENTS, Archive, ArchiveDocument, ArchiveFile
from models.schemas import ArchiveDocumentOut, ArchiveOut, FileOut
from models.tables import AuditEntry
from vocabulary.case import DocumentKind, Role, Step
from workflows.process import IN_SERVICE

router = APIRouter(prefix="/cases/{case_id}/archive", tags=["服务档案"])
_ALLOWED_TYPES = {"application/pdf", "image/jpeg", "image/png"}


@router.post("/files", status_code=201, summary="上传档案材料（PDF、JPG、PNG）")
async def upload(
    case_id: UUID, kind: Annotated[DocumentKind, Form()], file: Annotated[UploadFile, File()],
    actor: ActorDep, session: SessionDep, resources: ResourcesDep,
) -> FileOut:
    require(actor, Role.PROVIDER)
    case = await load_case(session, actor, case_id)
    if case.status != "open" or Step(case.step) not in IN_SERVICE:
        raise ApiError(409, "not_in_service", "案件尚未进入服务阶段或已结案，不能上传档案材料")
    if file.content_type not in _ALLOWED_TYPES:
        raise ApiError(422, "bad_file_type", "仅支持上传 PDF、JPG、PNG 格式的材料")
    limit = resources.settings.max_upload_bytes
    content = await file.read(limit + 1)
    if not content or len(content) > limit:
        raise ApiError(422, "bad_file_size", f"文件不能为空，且不能超过 {limit // (1024 * 1024)} MB")
    # The file name may carry a person's name; it is kept with the record but never logged.
    row = ArchiveFile(
        case_id=case_id, kind=kind.value, filename=(file.filename or "upload")[:200],
        content_type=file.content_type, size=len(content), sha256=hashlib.sha256(content).hexdigest(),
        content=content, uploaded_by=actor.user_id, uploaded_at=datetime.now(UTC),
    )
    session.add(row)
    await session.execute(insert(AuditEntry).values(
        case_id=case_id, action="archive_file", actor_id=actor.user_id, actor_role=actor.role,
        after={"file_id": str(row.id), "kind": kind.value, "sha256": row.sha256}, at=row.uploaded_at,
    ))
    await session.commit()
    return FileOut(id=row.id, kind=kind, filename=row.filename, size=row.size, sha256=row.sha256)


@router.get("", summary="查看服务档案：服务号与材料清单")
async def get_archive(case_id: UUID, actor: ActorDep, session: SessionDep) -> ArchiveOut:
    await load_case(session, actor, case_id)
    archive = await session.get(Archive, case_id)
    if archive is None:
        raise ApiError(404, "archive_not_found", "该案件尚未建立服务档案")
    docs = (await session.execute(
        select(ArchiveDocument).where(ARCHIVE_DOCUMENTS.c.case_id == case_id)
    )).scalars()
    return ArchiveOut(
        case_id=case_id, service_no=archive.service_no, provider_id=archive.provider_id,
        created_at=archive.created_at,
        documents=sorted((ArchiveDocumentOut(kind=DocumentKind(d.kind), file_id=d.file_id,
                                             missing_reason=d.missing_reason) for d in docs),
                         key=lambda d: list(DocumentKind).index(d.kind)),
    )
