"""A case's documents: the list (every version of every archive entry, the survey's attachments, generated
documents), one document's details and its content (inline or as a download, the access recorded), and the
home survey's attachments uploaded from a tablet.

Who sees what is who sees the case (`api.access.case_scope`): a provider only the cases referred to it, an
auditor everything in its jurisdiction. A case or document outside that answers 404 exactly like an unknown id.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, File, Form, Query, Response, UploadFile
from sqlalchemy import and_, or_
from sqlalchemy.ext.asyncio import AsyncSession

from api.access import case_scope
from api.deps import ActorDep, IdempotencyKey, ResourcesDep, SessionDep, require
from api.documents import document_out, listing, respond, upload_document, visible_case
from api.errors import ApiError
from api.exports import DOCUMENT_RESPONSES
from models.documents.schemas import DocumentOut
from models.documents.tables import DOCUMENTS
from models.payloads.actor import Actor
from models.tables import CASES
from policy.documents import SURVEY_RULES
from vocabulary.case import DocumentKind, Role, Step
from vocabulary.documents import DocumentCategory, SurveyAttachmentKind

router = APIRouter(tags=["档案材料"])
_d = DOCUMENTS.c
_CATEGORY_ORDER = list(DocumentCategory)
_KIND_ORDER = [k.value for k in DocumentKind] + [k.value for k in SurveyAttachmentKind]
# Staff who read documents of no case (notices, payment files) within their jurisdiction.
_STAFF = (Role.TOWNSHIP_WORKER, Role.COUNTY_OFFICER, Role.AUDITOR)
# The survey is taken from the survey step on; a signed form may be scanned after the survey is recorded.
_BEFORE_SURVEY = (Step.APPLICATION.value, Step.REGISTRATION.value)


def _order(doc: DocumentOut) -> tuple[int, int, str, int]:
    kind = _KIND_ORDER.index(doc.kind) if doc.kind in _KIND_ORDER else len(_KIND_ORDER)
    return _CATEGORY_ORDER.index(DocumentCategory(doc.category)), kind, doc.kind, -doc.version


async def case_documents(session: AsyncSession, case_id: UUID, category: DocumentCategory | None = None,
                         kind: str | None = None) -> list[DocumentOut]:
    query = listing().where(_d.case_id == case_id)
    if category is not None:
        query = query.where(_d.category == category.value)
    if kind is not None:
        query = query.where(_d.kind == kind)
    return sorted((document_out(r) for r in (await session.execute(query)).all()), key=_order)


@router.get("/cases/{case_id}/documents", summary="案件的全部材料：档案材料各版本、入户调查附件、系统生成文书")
async def list_documents(
    case_id: UUID, actor: ActorDep, session: SessionDep,
    category: DocumentCategory | None = None, kind: Annotated[str | None, Query(max_length=48)] = None,
) -> list[DocumentOut]:
    await visible_case(session, actor, case_id)
    return await case_documents(session, case_id, category, kind)


async def _case_document(session: AsyncSession, actor: Actor, case_id: UUID, document_id: UUID) -> Any:
    await visible_case(session, actor, case_id)
    row = (await session.execute(listing().where(_d.id == document_id, _d.case_id == case_id))).one_or_none()
    if row is None:
        raise ApiError(404, "document_not_found", "材料不存在")
    return row


@router.get("/cases/{case_id}/documents/{document_id}", summary="一份材料的信息")
async def get_document(case_id: UUID, document_id: UUID, actor: ActorDep, session: SessionDep) -> DocumentOut:
    return document_out(await _case_document(session, actor, case_id, document_id))


@router.get("/cases/{case_id}/documents/{document_id}/content",
            summary="查看(inline)或下载(download=true)一份材料；每次查看、下载都留有记录",
            response_class=Response, responses=DOCUMENT_RESPONSES)
async def document_content(case_id: UUID, document_id: UUID, actor: ActorDep, session: SessionDep,
                           resources: ResourcesDep, download: bool = False) -> Response:
    row = await _case_document(session, actor, case_id, document_id)
    return await respond(session, resources.documents, actor, row, download)


async def _any_document(session: AsyncSession, actor: Actor, document_id: UUID) -> Any:
    own_case = and_(_d.case_id.is_not(None), case_scope(actor))
    no_case = and_(_d.case_id.is_(None), _d.division_code.startswith(actor.jurisdiction, autoescape=True))
    query = listing().outerjoin(CASES, CASES.c.id == _d.case_id).where(
        _d.id == document_id, or_(own_case, no_case) if actor.role in _STAFF else own_case)
    row = (await session.execute(query)).one_or_none()
    if row is None:
        raise ApiError(404, "document_not_found", "材料不存在")
    return row


@router.get("/documents/{document_id}", summary="按编号查看一份材料的信息（含不属于单个案件的系统生成文书）")
async def get_any_document(document_id: UUID, actor: ActorDep, session: SessionDep) -> DocumentOut:
    return document_out(await _any_document(session, actor, document_id))


@router.get("/documents/{document_id}/content", summary="按编号查看或下载一份材料；留有记录",
            response_class=Response, responses=DOCUMENT_RESPONSES)
async def any_document_content(document_id: UUID, actor: ActorDep, session: SessionDep, resources: ResourcesDep,
                               download: bool = False) -> Response:
    row = await _any_document(session, actor, document_id)
    return await respond(session, resources.documents, actor, row, download)


@router.post("/cases/{case_id}/survey/attachments", status_code=201,
             summary="上传入户调查照片或签字表（平板拍照上传；图片去除拍摄位置等元数据）")
async def upload_survey_attachment(
    case_id: UUID, kind: Annotated[SurveyAttachmentKind, Form()], file: Annotated[UploadFile, File()],
    actor: ActorDep, session: SessionDep, resources: ResourcesDep, response: Response, key: IdempotencyKey = None,
) -> DocumentOut:
    require(actor, Role.VILLAGE_ASSISTANT, Role.TOWNSHIP_WORKER)
    case = await visible_case(session, actor, case_id)
    if case.status != "open" or case.step in _BEFORE_SURVEY:
        raise ApiError(409, "not_in_survey", "案件尚未进入入户调查环节或已结案，不能上传调查附件")
    return await upload_document(session, resources.documents, actor, case, DocumentCategory.SURVEY, kind.value,
                                 SURVEY_RULES[kind], file, "survey_attachment", key,
                                 resources.settings.id_hash_key, response)


@router.get("/cases/{case_id}/survey/attachments", summary="入户调查附件列表")
async def list_survey_attachments(case_id: UUID, actor: ActorDep, session: SessionDep) -> list[DocumentOut]:
    await visible_case(session, actor, case_id)
    return await case_documents(session, case_id, DocumentCategory.SURVEY)

