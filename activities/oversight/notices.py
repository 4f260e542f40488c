"""Publishing the long-term notice (长期公示, seed 001 四(十): the township publishes its recipients in their village):
who is in service now, through the privacy filter, recorded with its content hash, who published it and what
changed since the village's previous publication (新增 / 退出)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from activities.documents.store import DocumentStore
from activities.oversight.render import PDF, XLSX, notice_pdf, notice_xlsx
from models.oversight.tables import NOTICES
from models.payloads.actor import Actor
from models.tables import DIVISIONS
from policy.oversight import NoticeEntry, content_sha256, notice_changes, notice_entry
from vocabulary.case import Step
from vocabulary.documents import GeneratedKind

# Recipients in service: a filed plan, the case open in 建立档案 or 动态管理 (workflows/process.py: IN_SERVICE).
IN_SERVICE = (Step.ARCHIVING.value, Step.DYNAMIC_MANAGEMENT.value)
_RECIPIENTS = text("""
SELECT c.id AS case_id, c.village_code, p.name, p.birth_date, p.category, COALESCE(v.name, c.village_code) AS village,
       sp.starts_on,
       ARRAY(SELECT COALESCE(si.name, i.item_code)
             FROM jsonb_to_recordset(sp.items) AS i(item_code text)
             LEFT JOIN service_items si ON si.county_code = c.county_code AND si.code = i.item_code) AS items
FROM cases c
JOIN persons p ON p.id = c.person_id
JOIN service_plans sp ON sp.case_id = c.id
LEFT JOIN divisions v ON v.code = c.village_code
WHERE c.village_code = ANY(:villages) AND c.status = 'open' AND c.step = ANY(:steps)
""")


async def current_entries(session: AsyncSession, villages: Sequence[str], on: date) -> dict[str, list[NoticeEntry]]:
    """Per village, the lines its notice shows today: only what the privacy filter lets through, sorted."""
    out: dict[str, list[NoticeEntry]] = {v: [] for v in villages}
    rows = (await session.execute(_RECIPIENTS, {"villages": list(villages), "steps": list(IN_SERVICE)})).all()
    for row in rows:
        entry = notice_entry(dict(row._mapping), on)
        if entry is not None:
            out[row.village_code].append(entry)
    for entries in out.values():
        entries.sort(key=lambda e: (e.name, e.case_id))
    return out


async def division_names(session: AsyncSession, codes: Sequence[str]) -> dict[str, str]:
    rows = (await session.execute(select(DIVISIONS.c.code, DIVISIONS.c.name).where(DIVISIONS.c.code.in_(codes))))
    return {r.code: r.name for r in rows}


@dataclass(frozen=True)
class Published:
    id: UUID
    village_code: str
    seq: int
    published_on: date
    entries: list[dict[str, Any]]
    added: list[dict[str, Any]]
    removed: list[dict[str, Any]]
    content_sha256: str


async def publish(session: AsyncSession, actor: Actor, villages: Sequence[str], on: date, at: datetime,
                  store: DocumentStore | None) -> list[Published]:
    """A new publication for each village, in the caller's transaction, its PDF and XLSX kept in the document
    store (`store`; None only where no store is wanted, as in the bench's floor). The village's previous
    publication is locked while the next is numbered, so two publishers cannot both take the same number."""
    current = await current_entries(session, villages, on)
    names = await division_names(session, [*villages, *{v[:9] for v in villages}])
    done = []
    for village in sorted(villages):
        last = (await session.execute(
            select(NOTICES.c.seq, NOTICES.c.entries).where(NOTICES.c.village_code == village)
            .order_by(NOTICES.c.seq.desc()).limit(1).with_for_update()
        )).first()
        entries = current[village]
        added, removed = notice_changes(last.entries if last else [], entries)
        pub = Published(uuid.uuid4(), village, (last.seq if last else 0) + 1, on,
                        [{"case_id": e.case_id, **e.public()} for e in entries], added, removed,
                        content_sha256(entries))
        documents = {}
        if store is not None:
            for fmt in ("pdf", "xlsx"):
                name, content_type, data = render(names.get(village, village), names.get(village[:9], ""), on,
                                                  public_lines(pub.entries), pub.seq, fmt)
                ref = await store.save_generated(
                    session, case_id=None, kind=GeneratedKind.PUBLIC_NOTICE, filename=name, content_type=content_type,
                    data=data, actor_id=actor.user_id, business_key=f"notice:{pub.id}:{fmt}", division_code=village)
                documents[fmt] = str(ref.id)
        await session.execute(NOTICES.insert().values(
            id=pub.id, village_code=village, township_code=village[:9], county_code=village[:6], seq=pub.seq,
            published_on=on, entries=pub.entries, added=added, removed=removed,
            content_sha256=pub.content_sha256, documents=documents, published_by=actor.user_id, published_at=at,
        ))
        done.append(pub)
    return done


def public_lines(entries: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The lines as printed: the stored lines without the case ids they are kept with."""
    return [{k: v for k, v in e.items() if k != "case_id"} for e in entries]


def render(village: str, publisher: str, on: date, lines: list[dict[str, Any]], seq: int,
           fmt: str) -> tuple[str, str, bytes]:
    """A publication's file, "pdf" or "xlsx": (file name, content type, bytes)."""
    stem = f"{village}长期公示-{on:%Y%m%d}-{seq}"
    if fmt == "pdf":
        return f"{stem}.pdf", PDF, notice_pdf(village, publisher, on, lines)
    return f"{stem}.xlsx", XLSX, notice_xlsx(village, publisher, on, lines)


async def notice_file(session: AsyncSession, row: Any, fmt: str) -> tuple[str, str, bytes]:
    """A publication's file rendered again from what it recorded (the kept copy is in the document store)."""
    names = await division_names(session, [row.village_code, row.township_code])
    return render(names.get(row.village_code, row.village_code), names.get(row.township_code, ""),
                  row.published_on, public_lines(row.entries), row.seq, fmt)
