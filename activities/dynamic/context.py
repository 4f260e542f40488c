"""What the dynamic-management activities read about a case to write its documents and records: names (never
an ID number), the plan in force, and the documents kept in the document store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from activities.documents.store import DocumentRef, DocumentStore
from activities.dynamic.documents import Letter, pdf
from models.deadline_tables import Notification
from models.dynamic.tables import PLAN_CHANGES
from models.payloads.forms import ItemQuantity
from vocabulary.case import Role
from vocabulary.documents import GeneratedKind
from vocabulary.dynamic import CaseDocKind


@dataclass(frozen=True)
class CaseFacts:
    case_id: UUID
    person_id: UUID
    person_name: str
    village_code: str
    village: str
    township: str
    county: str
    provider_id: UUID | None
    service_no: str | None
    opened_at: datetime
    items: list[dict[str, Any]]  # the plan in force now
    item_names: dict[str, str]

    def plan_text(self, items: list[dict[str, Any]] | list[ItemQuantity]) -> str:
        rows = [i.model_dump() if isinstance(i, ItemQuantity) else i for i in items]
        if not rows:
            return "无"
        return "、".join(f"{self.item_names.get(r['item_code'], r['item_code'])}每月{r['quantity_per_month']}次"
                        for r in rows)

    def number(self, seq: int, on: date) -> str:
        return f"{self.township}动态〔{on.year}〕{self.service_no or str(self.case_id)[:8]}-{seq}号"

    @property
    def authority(self) -> str:
        return f"{self.township}社会救助服务中心"


_FACTS = text("""
SELECT c.id, c.person_id, p.name AS person_name, c.village_code, c.provider_id, c.service_no, c.opened_at,
       COALESCE(v.name, c.village_code) AS village, COALESCE(t.name, c.township_code) AS township,
       COALESCE(k.name, c.county_code) AS county, c.county_code,
       COALESCE((SELECT items FROM plan_changes pc WHERE pc.case_id = c.id ORDER BY effective_on DESC, seq DESC
                 LIMIT 1), (SELECT items FROM service_plans sp WHERE sp.case_id = c.id),
                (SELECT jsonb_agg(jsonb_build_object('item_code', item_code, 'quantity_per_month', quantity_per_month))
                 FROM approved_items a WHERE a.case_id = c.id AND a.mode = 'purchase'), '[]'::jsonb) AS items
FROM cases c JOIN persons p ON p.id = c.person_id
LEFT JOIN divisions v ON v.code = c.village_code
LEFT JOIN divisions t ON t.code = c.township_code
LEFT JOIN divisions k ON k.code = c.county_code
WHERE c.id = :case
""")


async def case_facts(session: AsyncSession, case_id: UUID) -> CaseFacts:
    row = (await session.execute(_FACTS, {"case": case_id})).one()
    names: dict[str, str] = dict((await session.execute(text(
        "SELECT code, name FROM service_items WHERE county_code = :c"), {"c": row.county_code})).tuples().all())
    return CaseFacts(row.id, row.person_id, row.person_name, row.village_code, row.village, row.township, row.county,
                     row.provider_id, row.service_no, row.opened_at, list(row.items or []), names)


# The store's kinds (vocabulary.documents); the exact title (拟变更 / 拟终止 …) is in the file name.
STORE_KIND = {
    CaseDocKind.CHANGE_NOTICE: GeneratedKind.HEARING_NOTICE, CaseDocKind.STOP_NOTICE: GeneratedKind.HEARING_NOTICE,
    CaseDocKind.CHANGE_DECISION: GeneratedKind.SERVICE_DECISION,
    CaseDocKind.STOP_DECISION: GeneratedKind.SERVICE_DECISION, CaseDocKind.REFUSAL: GeneratedKind.REFUSAL_LETTER,
}


async def save_letter(documents: DocumentStore | None, session: AsyncSession, case_id: UUID, letter: Letter,
                      actor_id: UUID, business_key: str) -> DocumentRef:
    """The PDF in the document store (encrypted at rest, SHA-256 recorded, listed on the case), once per
    business key: a retried activity gets the document already stored (the bytes are deterministic)."""
    assert documents is not None, "built without a document store"
    return await documents.save_generated(
        session, case_id=case_id, kind=STORE_KIND[letter.kind], filename=letter.filename,
        content_type="application/pdf", data=pdf(letter), actor_id=actor_id, business_key=business_key)


async def change_plan(session: AsyncSession, facts: CaseFacts, seq: int, effective_on: date,
                      items: list[dict[str, Any]], reason: str, at: datetime) -> None:
    """The plan from `effective_on` on (no items: stopped), which settlement pays by (idempotent on the step)."""
    if facts.provider_id is None:
        return  # never referred: nothing is paid either way
    await session.execute(insert(PLAN_CHANGES).values(
        case_id=facts.case_id, seq=seq, provider_id=facts.provider_id, effective_on=effective_on, items=items,
        reason=reason, created_at=at).on_conflict_do_nothing())


async def tell_provider(session: AsyncSession, facts: CaseFacts, seq: int, step: str, due: date, message: str,
                        at: datetime) -> None:
    """A notice in the provider's inbox (a change to acknowledge, or services that ended)."""
    if facts.provider_id is None:
        return
    await session.execute(insert(Notification).values(
        case_id=facts.case_id, deadline_seq=seq, rung=f"dynamic:{seq}", step=step, due_on=due,
        recipient_role=Role.PROVIDER.value, recipient_scope=facts.village_code[:6],
        recipient_provider_id=facts.provider_id, message=message, created_at=at,
    ).on_conflict_do_nothing(constraint="uq_notification_rung"))
