"""The county's decision on a yearly statement (approve or return it, naming the version it read), the payment
files written with the approval, and the township's record of the payment (发放). Each is one transaction on the
statement's row lock and idempotent: approving an approved statement, returning a returned one or paying a paid
one writes nothing. The audit row is written only by the transaction that changed the status."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import insert, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from activities.documents.store import DocumentStore
from activities.modes.neighbour.files import Line, Payee, YearDoc, csv_bytes, xlsx_bytes
from infra.security import open_id_number
from models.documents.tables import DOCUMENTS
from models.modes.neighbour import YEAR_FILES, YEAR_STATEMENTS
from models.tables import AUDIT
from vocabulary.china import CHINA
from vocabulary.documents import GeneratedKind
from vocabulary.neighbour import LineKind, RateBasis, YearStatus
from vocabulary.refusal import refuse

_s = YEAR_STATEMENTS.c
_FILES = (("xlsx", GeneratedKind.PAYMENT_XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
          ("csv", GeneratedKind.PAYMENT_CSV, "text/csv; charset=utf-8"))


async def _locked(session: AsyncSession, statement_id: UUID) -> Any:
    return (await session.execute(select(YEAR_STATEMENTS).where(_s.id == statement_id).with_for_update())).one()


async def _audit(session: AsyncSession, actor_id: UUID, role: str, action: str, after: dict[str, Any]) -> None:
    await session.execute(insert(AUDIT).values(case_id=None, seq=None, action=action, actor_id=actor_id,
                                               actor_role=role, after=after, at=datetime.now(UTC)))


def _check_version(row: Any, version: int) -> None:
    if row.version != version:
        raise refuse("statement_changed", f"结算单已重新计算（当前为第{row.version}版），请查看最新内容后再办理")


async def approve(session: AsyncSession, documents: DocumentStore, key: str, statement_id: UUID, version: int,
                  actor_id: UUID, role: str) -> None:
    row = await _locked(session, statement_id)
    if row.status in (YearStatus.APPROVED, YearStatus.PAID):
        return
    if row.status == YearStatus.RETURNED:
        raise refuse("statement_returned", "结算单已退回，待重新结算后再审批")
    _check_version(row, version)
    at = datetime.now(UTC)
    await session.execute(update(YEAR_STATEMENTS).where(_s.id == row.id).values(
        status=YearStatus.APPROVED.value, approved_by=actor_id, approved_at=at))
    await _audit(session, actor_id, role, "neighbour_statement_approve", {
        "statement_id": str(row.id), "version": row.version, "total_amount": str(row.total_amount)})
    doc = await _document(session, row, key, actor_id, at)
    name = f"{row.statement_no}-v{row.version}"
    for kind, generated, content_type in _FILES:
        data = xlsx_bytes(doc) if kind == "xlsx" else csv_bytes(doc)
        ref = await documents.save_generated(
            session, case_id=None, kind=generated, filename=f"{name}.{kind}", content_type=content_type, data=data,
            actor_id=actor_id, business_key=f"neighbour-statement:{row.id}:{kind}:v{row.version}",
            division_code=row.township_code)
        await session.execute(pg_insert(YEAR_FILES).values(
            statement_id=row.id, kind=kind, document_id=ref.id, created_at=at,
        ).on_conflict_do_nothing(index_elements=["statement_id", "kind"]))


async def return_statement(session: AsyncSession, statement_id: UUID, version: int, reason: str, actor_id: UUID,
                           role: str) -> None:
    row = await _locked(session, statement_id)
    if row.status == YearStatus.RETURNED:
        return
    if row.status != YearStatus.DRAFT:
        raise refuse("statement_locked", "结算单已审批锁定，不能退回")
    _check_version(row, version)
    await session.execute(update(YEAR_STATEMENTS).where(_s.id == row.id).values(
        status=YearStatus.RETURNED.value, returned_by=actor_id, returned_at=datetime.now(UTC), return_reason=reason))
    await _audit(session, actor_id, role, "neighbour_statement_return",
                 {"statement_id": str(row.id), "version": row.version, "reason": reason})


async def mark_paid(session: AsyncSession, statement_id: UUID, paid_on: date, voucher_no: str, actor_id: UUID,
                    role: str) -> None:
    row = await _locked(session, statement_id)
    if row.status == YearStatus.PAID:
        return
    if row.status != YearStatus.APPROVED:
        raise refuse("statement_not_approved", "结算单尚未审批，不能登记发放")
    await session.execute(update(YEAR_STATEMENTS).where(_s.id == row.id).values(
        status=YearStatus.PAID.value, paid_by=actor_id, paid_at=datetime.now(UTC), paid_on=paid_on,
        voucher_no=voucher_no))
    await _audit(session, actor_id, role, "neighbour_statement_paid",
                 {"statement_id": str(row.id), "voucher_no": voucher_no, "total_amount": str(row.total_amount)})


async def file_rows(session: AsyncSession, statement_id: UUID) -> list[Any]:
    f, d = YEAR_FILES.c, DOCUMENTS.c
    return list((await session.execute(
        select(f.kind, d.filename, d.sha256, d.size).join(DOCUMENTS, d.id == f.document_id)
        .where(f.statement_id == statement_id).order_by(f.kind))).all())


_LINES = text("""
SELECT h.name AS helper, COALESCE(v.name, h.village_code) AS village, l.service_year, l.kind, l.basis,
       l.unit_amount, l.quantity, l.record_count, l.amount
FROM neighbour_statement_lines l JOIN neighbour_helpers h ON h.id = l.helper_id
LEFT JOIN divisions v ON v.code = h.village_code
WHERE l.statement_id = :id ORDER BY h.village_code, h.name, h.id, l.service_year, l.basis, l.unit_amount
""")
_PAYEES = text("""
SELECT h.name AS helper, h.account_name, h.account_cipher, h.bank_name, SUM(l.amount) AS amount
FROM neighbour_statement_lines l JOIN neighbour_helpers h ON h.id = l.helper_id
WHERE l.statement_id = :id GROUP BY h.id ORDER BY h.village_code, h.name, h.id
""")


async def _document(session: AsyncSession, row: Any, key: str, actor_id: UUID, at: datetime) -> YearDoc:
    head = (await session.execute(text("""
        SELECT COALESCE((SELECT name FROM divisions WHERE code = :t), :t) AS township,
               COALESCE((SELECT full_name FROM users WHERE id = :u), '') AS approver
    """), {"t": row.township_code, "u": actor_id})).one()
    lines = (await session.execute(_LINES, {"id": row.id})).all()
    payees = (await session.execute(_PAYEES, {"id": row.id})).all()
    return YearDoc(
        statement_no=row.statement_no, year=row.year, version=row.version, township=head.township,
        approved_by=head.approver, approved_at=at.astimezone(CHINA), total=row.total_amount,
        adjustment=row.adjustment_amount,
        payees=tuple(Payee(p.helper, p.account_name, open_id_number(p.account_cipher, key), p.bank_name, p.amount)
                     for p in payees),
        lines=tuple(Line(x.helper, x.village, x.service_year, LineKind.label(x.kind), RateBasis.label(x.basis),
                         x.unit_amount, x.quantity, x.record_count, x.amount) for x in lines))
