"""The long-term public notice (长期公示): what a village's notice would show today, publishing it (a township
worker for the villages of the township, or the county), every publication with what changed, and its PDF and
XLSX for the village board."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Response
from sqlalchemy import select

from activities.oversight.notices import current_entries, notice_file, public_lines, publish
from api.deps import ActorDep, IdempotencyKey, ResourcesDep, SessionDep, TodayDep
from api.documents import store_call
from api.exports import PDF_OR_XLSX_RESPONSES, download
from api.idempotency import request_key
from api.idempotent_writes import bind, replayed
from api.oversight_access import audit, division_scope, not_found, within
from models.oversight.schemas import NoticeLine, PublicationOut, PublishIn
from models.oversight.tables import NOTICES
from models.payloads.actor import Actor
from models.tables import DIVISIONS
from vocabulary.case import Role

router = APIRouter(prefix="/notices", tags=["长期公示"])
_p = NOTICES.c


def _lines(entries: list[dict[str, Any]]) -> list[NoticeLine]:
    return [NoticeLine(line_no=i, **line) for i, line in enumerate(public_lines(entries), start=1)]


def _out(row: Any, with_lines: bool = False) -> PublicationOut:
    return PublicationOut(id=row.id, village_code=row.village_code, seq=row.seq, published_on=row.published_on,
                          published_at=row.published_at, content_sha256=row.content_sha256, count=len(row.entries),
                          added=row.added, removed=row.removed, documents=row.documents,
                          lines=_lines(row.entries) if with_lines else None)


async def load_publication(session: Any, actor: Actor, publication_id: UUID) -> Any:
    row = (await session.execute(select(NOTICES).where(_p.id == publication_id))).first()
    if row is None or not within(actor, row.village_code):
        raise not_found("公示")
    return row


@router.get("/current", summary="某村(社区)当前应公示的名单（预览，尚未发布）")
async def preview(actor: ActorDep, session: SessionDep, today: TodayDep,
                  village_code: Annotated[str, Query(pattern=r"^\d{12}$")]) -> list[NoticeLine]:
    if not within(actor, village_code):
        raise not_found("村(社区)")
    entries = (await current_entries(session, [village_code], today))[village_code]
    return _lines([e.public() for e in entries])


@router.post("/publications", status_code=201, summary="发布长期公示（一个村(社区)，或一个乡镇(街道)的全部村(社区)）")
async def publish_notices(body: PublishIn, actor: ActorDep, session: SessionDep, today: TodayDep,
                          resources: ResourcesDep, response: Response, key: IdempotencyKey = None
                          ) -> list[PublicationOut]:
    code = body.village_code or body.township_code
    assert code is not None
    if not within(actor, code, (Role.TOWNSHIP_WORKER, Role.COUNTY_OFFICER)):
        raise not_found("村(社区)或乡镇(街道)")
    request = request_key(key, "publish", resources.settings.id_hash_key, body)
    if (again := await replayed(session, actor, request, response)) is not None:
        return [PublicationOut.model_validate(p) for p in again]  # a retry: the publication made, not another
    of = DIVISIONS.c.code == code if body.village_code else DIVISIONS.c.parent_code == code
    villages = list((await session.execute(select(DIVISIONS.c.code).where(
        of, DIVISIONS.c.level == "village").order_by(DIVISIONS.c.code))).scalars())
    if not villages:
        raise not_found("村(社区)")
    done = await store_call(publish(session, actor, villages, today, datetime.now(UTC), resources.documents))
    await audit(session, actor, "notice_published", {"publications": [
        {"id": str(p.id), "village_code": p.village_code, "seq": p.seq, "content_sha256": p.content_sha256}
        for p in done]})
    rows = (await session.execute(select(NOTICES).where(_p.id.in_([p.id for p in done]))
                                  .order_by(_p.village_code))).all()
    out = [_out(r) for r in rows]
    if (again := await bind(session, actor, request, out, response)) is not None:
        return [PublicationOut.model_validate(p) for p in again]
    await session.commit()
    return out


@router.get("/publications", summary="历次公示记录（发布日期、内容哈希、发布人、新增与退出）")
async def list_publications(
    actor: ActorDep, session: SessionDep, village_code: Annotated[str | None, Query(pattern=r"^\d{12}$")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50, offset: Annotated[int, Query(ge=0)] = 0,
) -> list[PublicationOut]:
    where = [division_scope(actor, _p.village_code)]
    if village_code:
        where.append(_p.village_code == village_code)
    rows = (await session.execute(select(NOTICES).where(*where).order_by(_p.published_at.desc(), _p.village_code)
                                  .limit(limit).offset(offset))).all()
    return [_out(r) for r in rows]


@router.get("/publications/{publication_id}", summary="一次公示的内容")
async def get_publication(publication_id: UUID, actor: ActorDep, session: SessionDep) -> PublicationOut:
    return _out(await load_publication(session, actor, publication_id), with_lines=True)


@router.get("/publications/{publication_id}/file",
            summary="公示文件：PDF（A4，张贴用）或 XLSX（按公示记录重新生成；发布时的文件存于材料库 documents）",
            response_class=Response, responses=PDF_OR_XLSX_RESPONSES)
async def publication_file(publication_id: UUID, actor: ActorDep, session: SessionDep,
                           format: Literal["pdf", "xlsx"] = "pdf") -> Response:
    row = await load_publication(session, actor, publication_id)
    name, content_type, data = await notice_file(session, row, format)
    return download(data, name, content_type)
