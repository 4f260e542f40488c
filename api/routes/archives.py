"""The one-person file (一人一档): the provider uploads each checklist document (a new version each time),
the archive step (`POST /cases/{id}/archive`, a workflow update) names a version or a missing reason for every
entry, and afterwards an entry can be replaced by a newer version or marked missing, the earlier versions
kept. The whole file prints as one PDF with a cover sheet for the paper archive.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, File, Form, Response, UploadFile
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from activities.documents.bundle import bundle_pdf
from api.bundles import file_cover
from api.deps import ActorDep, IdempotencyKey, ResourcesDep, SessionDep, require
from api.documents import disposition, record_access, store_call, upload_document, visible_case
from api.errors import ApiError
from api.exports import PDF_RESPONSES
from models.case_tables import ARCHIVE_DOCUMENTS, Archive, ArchiveDocument
from models.documents.schemas import ArchiveEntryIn, DocumentOut
from models.documents.tables import DOCUMENTS
from models.schemas import ArchiveDocumentOut, ArchiveOut
from models.tables import AuditEntry
from policy.documents import ARCHIVE_RULES
from vocabulary.case import DocumentKind, Role, Step
from vocabulary.documents import AccessAction, DocumentCategory
from workflows.process import IN_SERVICE

router = APIRouter(prefix="/cases/{case_id}/archive", tags=["服务档案"])
_d, _ad = DOCUMENTS.c, ARCHIVE_DOCUMENTS.c


@router.post("/files", status_code=201,
             summary="上传档案材料（PDF、JPG、PNG，按文件内容识别类型；同一材料再次上传为新版本）")
async def upload(
    case_id: UUID, kind: Annotated[DocumentKind, Form()], file: Annotated[UploadFile, File()],
    actor: ActorDep, session: SessionDep, resources: ResourcesDep, response: Response, key: IdempotencyKey = None,
) -> DocumentOut:
    require(actor, Role.PROVIDER)
    case = await visible_case(session, actor, case_id)
    if case.status != "open" or Step(case.step) not in IN_SERVICE:
        raise ApiError(409, "not_in_service", "案件尚未进入服务阶段或已结案，不能上传档案材料")
    return await upload_document(session, resources.documents, actor, case, DocumentCategory.ARCHIVE, kind.value,
                                 ARCHIVE_RULES[kind], file, "archive_file", key, resources.settings.id_hash_key,
                                 response)


async def _entries(session: AsyncSession, case_id: UUID) -> list[ArchiveDocumentOut]:
    docs = (await session.execute(select(ArchiveDocument).where(_ad.case_id == case_id))).scalars()
    return sorted((ArchiveDocumentOut(kind=DocumentKind(d.kind), file_id=d.file_id, missing_reason=d.missing_reason)
                   for d in docs), key=lambda d: list(DocumentKind).index(d.kind))


async def _archive(session: AsyncSession, case_id: UUID) -> Archive:
    archive = await session.get(Archive, case_id)
    if archive is None:
        raise ApiError(404, "archive_not_found", "该案件尚未建立服务档案")
    return archive


@router.get("", summary="查看服务档案：服务号与材料清单")
async def get_archive(case_id: UUID, actor: ActorDep, session: SessionDep) -> ArchiveOut:
    await visible_case(session, actor, case_id)
    archive = await _archive(session, case_id)
    return ArchiveOut(case_id=case_id, service_no=archive.service_no, provider_id=archive.provider_id,
                      created_at=archive.created_at, documents=await _entries(session, case_id))


@router.put("/documents/{kind}", summary="更换档案材料（新版本，旧版本保留）或标记缺失并说明原因")
async def replace_entry(case_id: UUID, kind: DocumentKind, body: ArchiveEntryIn, actor: ActorDep,
                        session: SessionDep) -> ArchiveOut:
    require(actor, Role.PROVIDER)
    await visible_case(session, actor, case_id)
    archive = await _archive(session, case_id)
    entry = (await session.execute(select(ArchiveDocument).where(_ad.case_id == case_id, _ad.kind == kind.value)
                                   .with_for_update())).scalar_one()
    if body.file_id is not None:
        found = (await session.execute(select(_d.id).where(
            _d.id == body.file_id, _d.case_id == case_id, _d.category == DocumentCategory.ARCHIVE.value,
            _d.kind == kind.value))).first()
        if found is None:
            raise ApiError(422, "unknown_file", "档案材料文件不存在，或不属于本案件的该项材料")
    before = {"file_id": entry.file_id and str(entry.file_id), "missing_reason": entry.missing_reason}
    after = {"file_id": body.file_id and str(body.file_id), "missing_reason": body.missing_reason}
    if before != after:  # the same entry sent again changes nothing and is not audited twice
        now = datetime.now(UTC)
        entry.file_id, entry.missing_reason, entry.updated_at = body.file_id, body.missing_reason, now
        session.add(AuditEntry(case_id=case_id, action="archive_document_change", actor_id=actor.user_id,
                               actor_role=actor.role.value, at=now, before={"kind": kind.value, **before},
                               after={"kind": kind.value, **after}))
        await session.commit()
    return ArchiveOut(case_id=case_id, service_no=archive.service_no, provider_id=archive.provider_id,
                      created_at=archive.created_at, documents=await _entries(session, case_id))


@router.get("/bundle", summary="整份档案合订本（PDF：封面含服务号、姓名、材料目录，随后为各项材料）",
            response_class=Response, responses=PDF_RESPONSES)
async def bundle(case_id: UUID, actor: ActorDep, session: SessionDep, resources: ResourcesDep) -> Response:
    if actor.role is Role.APPLICANT:
        raise ApiError(403, "wrong_role", "您的角色无权打印档案合订本")
    await visible_case(session, actor, case_id)
    archive = await _archive(session, case_id)
    cover, rows = await store_call(file_cover(session, resources.documents, case_id))
    await record_access(session, actor, rows, AccessAction.BUNDLE)
    await session.commit()
    pdf: Any = await asyncio.to_thread(bundle_pdf, [cover])
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": disposition("attachment", f"服务档案-{archive.service_no}.pdf"),
        "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"})
