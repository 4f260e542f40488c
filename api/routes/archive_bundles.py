"""A provider's one-person files as one PDF, in service-number order (001 四(七): 按照服务号顺序排列档案),
for printing the paper archive in batches."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response
from sqlalchemy import select

from activities.documents.bundle import bundle_pdf
from api.access import case_scope
from api.bundles import file_cover
from api.deps import ActorDep, ResourcesDep, SessionDep
from api.documents import disposition, record_access, store_call
from api.errors import ApiError
from api.exports import PDF_RESPONSES
from models.case_tables import ARCHIVES
from models.tables import CASES, PROVIDERS
from vocabulary.case import Role
from vocabulary.documents import AccessAction

router = APIRouter(tags=["服务档案"])
_a = ARCHIVES.c


@router.get("/providers/{provider_id}/archive-bundle",
            summary="服务供给主体的档案合订本：按服务号顺序，每份档案一张封面（分批：after 为上一批最后的服务号）",
            response_class=Response, responses=PDF_RESPONSES)
async def provider_bundle(
    provider_id: UUID, actor: ActorDep, session: SessionDep, resources: ResourcesDep,
    after: Annotated[str | None, Query(max_length=40, description="从该服务号之后开始")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Response:
    if actor.role is Role.APPLICANT or (actor.role is Role.PROVIDER and actor.provider_id != provider_id):
        raise ApiError(404, "provider_not_found", "服务供给主体不存在")
    provider = (await session.execute(select(PROVIDERS.c.code).where(
        PROVIDERS.c.id == provider_id,
        # Another county's provider answers exactly like one that does not exist (issue #11).
        PROVIDERS.c.county_code.startswith(actor.jurisdiction[:6], autoescape=True)))).first()
    if provider is None:
        raise ApiError(404, "provider_not_found", "服务供给主体不存在")
    query = (select(_a.case_id, _a.service_no).join(CASES, CASES.c.id == _a.case_id)
             .where(_a.provider_id == provider_id, case_scope(actor)).order_by(_a.service_no).limit(limit))
    if after is not None:
        query = query.where(_a.service_no > after)
    files = (await session.execute(query)).all()
    if not files:
        raise ApiError(404, "no_archives", "没有符合条件的服务档案")
    covers, rows = [], []
    for f in files:
        cover, read = await store_call(file_cover(session, resources.documents, f.case_id))
        covers.append(cover)
        rows += read
    await record_access(session, actor, rows, AccessAction.BUNDLE)
    await session.commit()
    pdf: Any = await asyncio.to_thread(bundle_pdf, covers)
    name = f"服务档案-{files[0].service_no}至{files[-1].service_no}.pdf"
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": disposition("attachment", name), "X-Last-Service-No": files[-1].service_no,
        "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"})
