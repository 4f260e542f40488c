"""Gathering a one-person file for its PDF bundle: the cover's facts, the checklist's current versions in
checklist order (or their missing reasons), then the home survey's attachments, each read from the store."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from activities.documents.bundle import BundleItem, FileCover
from activities.documents.store import DocumentStore
from api.documents import read_document
from models.case_tables import ARCHIVE_DOCUMENTS, ARCHIVES
from models.documents.tables import DOCUMENTS
from models.tables import CASES, DIVISIONS, PERSONS, PROVIDERS
from vocabulary.case import DocumentKind
from vocabulary.china import CHINA
from vocabulary.documents import DocumentCategory, FileType, SurveyAttachmentKind

_d, _ad = DOCUMENTS.c, ARCHIVE_DOCUMENTS.c


async def _item(documents: DocumentStore, section: str, label: str, row: Any) -> BundleItem:
    return BundleItem(section, label, f"第{row.version}版 {row.filename}", await read_document(documents, row),
                      FileType(row.content_type))


async def file_cover(session: AsyncSession, documents: DocumentStore, case_id: UUID) -> tuple[FileCover, list[Any]]:
    """The file's cover and items, and the document rows read (their access is recorded by the caller)."""
    head = (await session.execute(
        select(ARCHIVES.c.service_no, ARCHIVES.c.created_at, PERSONS.c.name.label("person_name"),
               DIVISIONS.c.name.label("village"), CASES.c.village_code, PROVIDERS.c.name.label("provider"))
        .join(CASES, CASES.c.id == ARCHIVES.c.case_id).join(PERSONS, PERSONS.c.id == CASES.c.person_id)
        .join(PROVIDERS, PROVIDERS.c.id == ARCHIVES.c.provider_id)
        .outerjoin(DIVISIONS, DIVISIONS.c.code == CASES.c.village_code)
        .where(ARCHIVES.c.case_id == case_id))).one()
    entries = {r.entry_kind: r for r in (await session.execute(
        select(_ad.kind.label("entry_kind"), _ad.missing_reason, DOCUMENTS).outerjoin(DOCUMENTS, _d.id == _ad.file_id)
        .where(_ad.case_id == case_id))).all()}
    items, rows = [], []
    section = DocumentCategory.ARCHIVE.zh
    for kind in DocumentKind:
        entry = entries.get(kind.value)
        label = kind.zh
        if entry is None or entry.id is None:
            reason = entry.missing_reason if entry is not None else "未登记"
            items.append(BundleItem(section, label, f"缺失：{reason}"))
            continue
        items.append(await _item(documents, section, label, entry))
        rows.append(entry)
    survey = (await session.execute(select(DOCUMENTS).where(
        _d.case_id == case_id, _d.category == DocumentCategory.SURVEY.value).order_by(_d.uploaded_at, _d.id))).all()
    for row in survey:
        label = SurveyAttachmentKind(row.kind).zh
        items.append(await _item(documents, DocumentCategory.SURVEY.zh, label, row))
        rows.append(row)
    cover = FileCover(
        service_no=head.service_no, person_name=head.person_name, village=head.village or head.village_code,
        provider=head.provider, archived_on=head.created_at.astimezone(CHINA).strftime("%Y-%m-%d"),
        printed_at=datetime.now(UTC).astimezone(CHINA).strftime("%Y-%m-%d %H:%M"), items=tuple(items))
    return cover, rows
