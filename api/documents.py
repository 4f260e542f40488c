"""What every documents route shares: the case a user may see (foreign and absent alike answer 404), an
upload read within its kind's limit and made safe, and a document served with its access recorded.

`respond` is also the way another capability serves a document it generated (a notice, a decision): it reads
the object, records who viewed or downloaded it, and only then answers with the bytes.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote
from uuid import UUID

from fastapi import Response, UploadFile
from sqlalchemy import Select, and_, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from activities.documents.sanitize import Clean, sanitize
from activities.documents.store import DocumentStore
from api.access import case_scope
from api.errors import ApiError
from api.idempotency import request_key
from api.idempotent_writes import bind, replayed
from infra.envelope import Undecryptable, UnknownKey
from infra.storage import ObjectMissing, StoreUnavailable
from models.case_tables import ARCHIVE_DOCUMENTS
from models.documents.schemas import DocumentOut
from models.documents.tables import DOCUMENT_ACCESSES, DOCUMENTS
from models.payloads.actor import Actor
from models.tables import CASES, USERS, AuditEntry, Case
from policy.documents import Refusal, UploadRule, kind_label, too_large
from vocabulary.documents import AccessAction, DocumentCategory

log = logging.getLogger(__name__)
_CHUNK = 256 * 1024
STORE_DOWN = ApiError(503, "document_store_unavailable", "档案文件存储暂时不可用，请稍后重试")


_d, _ad = DOCUMENTS.c, ARCHIVE_DOCUMENTS.c


def listing() -> Select[Any]:
    """Document rows with the uploader's name and, for archive documents, the checklist entry's current file."""
    return (select(DOCUMENTS, USERS.c.full_name.label("uploader_name"), _ad.kind.label("entry_kind"),
                   _ad.file_id.label("current_file"))
            .outerjoin(USERS, USERS.c.id == _d.uploaded_by)
            .outerjoin(ARCHIVE_DOCUMENTS, and_(_ad.case_id == _d.case_id, _ad.kind == _d.kind,
                                               _d.category == DocumentCategory.ARCHIVE.value)))


def document_out(row: Any) -> DocumentOut:
    category = DocumentCategory(row.category)
    return DocumentOut.model_validate({
        **row._mapping, "category_zh": category.zh, "kind_zh": kind_label(category, row.kind),
        "current": None if row.entry_kind is None else row.current_file == row.id,
    })


async def visible_case(session: AsyncSession, actor: Actor, case_id: UUID) -> Case:
    """The case if this actor may see it; a case of another jurisdiction or provider answers exactly like an
    unknown id, so its existence is not revealed."""
    case = (await session.execute(select(Case).where(CASES.c.id == case_id, case_scope(actor)))).scalar_one_or_none()
    if case is None:
        raise ApiError(404, "case_not_found", "案件不存在")
    return case


async def read_upload(file: UploadFile, rule: UploadRule) -> bytes:
    """The uploaded bytes, read in chunks and refused as soon as they pass the kind's limit."""
    chunks, size = [], 0
    while chunk := await file.read(_CHUNK):
        size += len(chunk)
        if size > rule.max_bytes:
            raise ApiError(413, "bad_file_size", too_large(rule).message)
        chunks.append(chunk)
    return b"".join(chunks)


async def clean_upload(file: UploadFile, rule: UploadRule, fallback_name: str) -> Clean:
    raw = await read_upload(file, rule)
    try:
        # Decoding and re-encoding a phone photo takes a fraction of a second of CPU: off the event loop.
        return await asyncio.to_thread(sanitize, raw, rule, file.filename, fallback_name)
    except Refusal as refusal:
        raise ApiError(422, refusal.code, refusal.message) from None


async def upload_document(session: AsyncSession, documents: DocumentStore, actor: Actor, case: Case,
                          category: DocumentCategory, kind: str, rule: UploadRule, file: UploadFile,
                          audit_action: str, key: str | None = None, secret: str = "",
                          response: Response | None = None) -> DocumentOut:
    """An upload made safe, stored as the case's next version of `kind`, audited, committed. With an
    Idempotency-Key, the same file sent again answers the version it made the first time (not a new version)."""
    clean = await clean_upload(file, rule, rule.label)
    request = request_key(key, f"{audit_action} {case.id}", secret,
                          {"kind": kind, "sha256": hashlib.sha256(clean.data).hexdigest()})
    if (again := await replayed(session, actor, request, response)) is not None:
        return DocumentOut.model_validate(again)
    # The file name may carry a person's name; it is kept with the record but never logged.
    ref = await store_call(documents.add(
        session, case_id=case.id, division_code=case.village_code, category=category, kind=kind,
        filename=clean.filename, content_type=clean.file_type.value, data=clean.data, actor_id=actor.user_id))
    assert ref is not None  # only generated documents have a business key that can be taken
    session.add(AuditEntry(case_id=case.id, action=audit_action, actor_id=actor.user_id, actor_role=actor.role.value,
                           at=datetime.now(UTC), after={"file_id": str(ref.id), "kind": kind,
                                                        "version": ref.version, "sha256": ref.sha256}))
    out = document_out((await session.execute(listing().where(_d.id == ref.id))).one())
    if (again := await bind(session, actor, request, out, response)) is not None:
        return DocumentOut.model_validate(again)
    await session.commit()
    return out


async def store_call(coro: Any) -> Any:
    """Awaits a store operation, turning its faults into answers a person can act on."""
    try:
        return await coro
    except StoreUnavailable:
        raise STORE_DOWN from None


def disposition(kind: str, filename: str) -> str:
    """RFC 6266 with RFC 5987's `filename*`: the Chinese name for browsers, an ASCII stand-in for the rest."""
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    ascii_name = f"document.{extension}" if not filename.isascii() else filename.replace('"', "_")
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


async def record_access(session: AsyncSession, actor: Actor, rows: list[Any], action: AccessAction) -> None:
    if rows:
        now = datetime.now(UTC)
        await session.execute(insert(DOCUMENT_ACCESSES), [
            {"document_id": r.id, "case_id": r.case_id, "division_code": r.division_code, "user_id": actor.user_id,
             "role": actor.role.value, "action": action.value, "at": now} for r in rows])


async def read_document(documents: DocumentStore, row: Any) -> bytes:
    try:
        return await documents.read(row)
    except StoreUnavailable:
        raise STORE_DOWN from None
    except (ObjectMissing, Undecryptable, UnknownKey) as exc:
        # An integrity fault, not a request fault: logged by id (never the name) for the verify command.
        log.error("document %s unreadable: %s", row.id, type(exc).__name__)
        raise ApiError(500, "document_damaged", "档案文件已损坏或丢失，请联系管理员核查（已记录）") from None


async def respond(session: AsyncSession, documents: DocumentStore, actor: Actor, row: Any, download: bool) -> Response:
    """The document's bytes, after its access is recorded and committed: no view goes unrecorded."""
    content = await read_document(documents, row)
    await record_access(session, actor, [row], AccessAction.DOWNLOAD if download else AccessAction.VIEW)
    await session.commit()
    return Response(content, media_type=row.content_type, headers={
        "Content-Disposition": disposition("attachment" if download else "inline", row.filename),
        "X-Content-SHA256": row.sha256,
        # Personal documents: never cached by a shared proxy or the browser, never sniffed into another type.
        # (No CSP sandbox: browsers refuse to show a PDF inline in a sandboxed document.)
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
    })
