"""One statement's review (the township approves or returns it), its payment files, and the payment.

Each activity is one transaction on the statement's row lock, and idempotent: approving an approved statement,
returning a returned one or paying a paid one writes nothing and answers with what is there. The audit row is
written only by the transaction that changed the status. The files are produced once and kept as produced in
the document store (encrypted, SHA-256 recorded), idempotent on the statement, kind and version.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import insert, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio import activity

from activities.documents.store import DocumentStore
from activities.settlement.payment_files import DocLine, FundLine, StatementDoc, csv_bytes, xlsx_bytes
from infra.db import Sessions
from models.documents.tables import DOCUMENTS
from models.settlement.payloads import (
    ApproveForm,
    FileRef,
    PaymentForm,
    ReturnStatementForm,
    StatementAct,
    StatementOutcome,
)
from models.settlement.tables import (
    FUND_CHECKS,
    PROVIDER_ACCOUNTS,
    STATEMENT_FILES,
    STATEMENT_FUND_TOTALS,
    STATEMENTS,
    StatementFile,
)
from models.tables import AUDIT
from policy.settlement import work_funds_check
from vocabulary.china import CHINA
from vocabulary.documents import GeneratedKind
from vocabulary.refusal import refuse
from vocabulary.settlement import FileKind, FundCheckStatus, FundingSource, LineKind, ServiceUnit, StatementStatus
from workflows.settlement_activities import SettlementActivities

_s = STATEMENTS.c
_CONTENT_TYPE = {FileKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 FileKind.CSV: "text/csv; charset=utf-8"}
_DOCUMENT_KIND = {FileKind.XLSX: GeneratedKind.PAYMENT_XLSX, FileKind.CSV: GeneratedKind.PAYMENT_CSV}


async def _locked_row(session: AsyncSession, statement_id: UUID) -> Any:
    row = (await session.execute(select(STATEMENTS).where(_s.id == statement_id).with_for_update())).one_or_none()
    if row is None:
        raise refuse("statement_not_found", "结算单不存在")
    return row


def _outcome(row: Any) -> StatementOutcome:
    return StatementOutcome(statement_id=row.id, status=StatementStatus(row.status), version=row.version)


async def _audit(session: AsyncSession, act: StatementAct[Any], action: str, extra: dict[str, Any]) -> None:
    await session.execute(insert(AUDIT).values(
        case_id=None, seq=None, action=action, actor_id=act.actor.user_id, actor_role=act.actor.role.value,
        after={"statement_id": str(act.statement_id), "update_id": act.update_id, **extra}, at=act.at,
    ))


def _check_version(row: Any, version: int) -> None:
    if row.version != version:
        raise refuse("statement_changed",
                     f"结算单已重新计算（当前为第{row.version}版），请查看最新内容后再办理")


class StatementActivities(SettlementActivities):
    def __init__(self, sessions: Sessions, documents: DocumentStore | None = None) -> None:
        # The worker always hands in the store (worker.WITH_DOCUMENTS); None only where nothing is exported.
        self._sessions, self._documents = sessions, documents

    @activity.defn
    async def statement_approve(self, act: StatementAct[ApproveForm]) -> StatementOutcome:
        async with self._sessions.begin() as session:
            row = await _locked_row(session, act.statement_id)
            if row.status in (StatementStatus.APPROVED, StatementStatus.PAID):
                return _outcome(row)  # approved already (a double click, a retry): nothing more to write
            if row.status != StatementStatus.DRAFT:
                raise refuse("statement_returned", "结算单已退回，待重新结算后再审批")
            _check_version(row, act.form.version)
            await self._check_work_funds(session, row)
            account = (await session.execute(select(PROVIDER_ACCOUNTS.c.account_no).where(
                PROVIDER_ACCOUNTS.c.provider_id == row.provider_id))).scalar_one_or_none()
            if account is None and row.total_amount > 0:
                raise refuse("no_payee_account", "服务供给主体未登记收款账户，无法生成支付文件，请县级民政部门先登记")
            await session.execute(STATEMENTS.update().where(_s.id == row.id).values(
                status=StatementStatus.APPROVED.value, approved_by=act.actor.user_id, approved_at=act.at))
            await _audit(session, act, "statement_approve", {"version": row.version, "note": act.form.note,
                                                             "total_amount": str(row.total_amount)})
            return StatementOutcome(statement_id=row.id, status=StatementStatus.APPROVED, version=row.version)

    async def _check_work_funds(self, session: AsyncSession, row: Any) -> None:
        """Money from work funds is approved only while the county's year to date stays within 1%."""
        work = (await session.execute(select(STATEMENT_FUND_TOTALS.c.amount).where(
            STATEMENT_FUND_TOTALS.c.statement_id == row.id,
            STATEMENT_FUND_TOTALS.c.funding_source == FundingSource.WORK_FUNDS.value,
        ))).scalars().all()
        if sum(work, Decimal(0)) <= 0:
            return
        check = (await session.execute(select(FUND_CHECKS).where(
            FUND_CHECKS.c.county_code == row.county_code, FUND_CHECKS.c.period == row.period))).one_or_none()
        if check is None or check.status == FundCheckStatus.UNCONFIGURED:
            raise refuse("work_funds_unconfigured",
                         "本年度统筹社会救助资金总额未登记，无法核对社会救助工作经费1%上限，请县级民政部门登记后重新结算")
        if check.status == FundCheckStatus.OVER:
            figure = work_funds_check(check.pooled, check.used_total).describe()
            raise refuse("work_funds_over_cap", f"{figure}，不能审批；请调整资金来源后重新结算")

    @activity.defn
    async def statement_return(self, act: StatementAct[ReturnStatementForm]) -> StatementOutcome:
        async with self._sessions.begin() as session:
            row = await _locked_row(session, act.statement_id)
            if row.status == StatementStatus.RETURNED:
                return _outcome(row)
            if row.status != StatementStatus.DRAFT:
                raise refuse("statement_locked", "结算单已审批锁定，不能退回")
            _check_version(row, act.form.version)
            await session.execute(STATEMENTS.update().where(_s.id == row.id).values(
                status=StatementStatus.RETURNED.value, returned_by=act.actor.user_id, returned_at=act.at,
                return_reason=act.form.reason))
            await _audit(session, act, "statement_return", {"version": row.version, "reason": act.form.reason})
            return StatementOutcome(statement_id=row.id, status=StatementStatus.RETURNED, version=row.version)

    @activity.defn
    async def statement_mark_paid(self, act: StatementAct[PaymentForm]) -> StatementOutcome:
        async with self._sessions.begin() as session:
            row = await _locked_row(session, act.statement_id)
            if row.status == StatementStatus.PAID:
                return _outcome(row)
            if row.status != StatementStatus.APPROVED:
                raise refuse("statement_not_approved", "结算单尚未审批，不能登记支付")
            await session.execute(STATEMENTS.update().where(_s.id == row.id).values(
                status=StatementStatus.PAID.value, paid_by=act.actor.user_id, paid_at=act.at,
                paid_on=act.form.paid_on, voucher_no=act.form.voucher_no))
            await _audit(session, act, "statement_paid", {"voucher_no": act.form.voucher_no,
                                                          "total_amount": str(row.total_amount)})
            return StatementOutcome(statement_id=row.id, status=StatementStatus.PAID, version=row.version)

    @activity.defn
    async def statement_export(self, statement_id: UUID) -> list[FileRef]:
        async with self._sessions.begin() as session:
            if len(refs := await file_refs(session, statement_id)) == len(FileKind):
                return refs
            row = await _locked_row(session, statement_id)
            if row.status not in (StatementStatus.APPROVED, StatementStatus.PAID):
                raise refuse("statement_not_approved", "结算单尚未审批，不能生成支付文件")
            doc = await load_document(session, row)
            name = f"{row.statement_no}-v{row.version}"
            assert self._documents is not None, "StatementActivities built without a document store"
            for kind, content in ((FileKind.XLSX, xlsx_bytes(doc)), (FileKind.CSV, csv_bytes(doc))):
                ref = await self._documents.save_generated(
                    session, case_id=None, kind=_DOCUMENT_KIND[kind], filename=f"{name}.{kind.value}",
                    content_type=_CONTENT_TYPE[kind], data=content, actor_id=row.approved_by,
                    business_key=f"statement:{statement_id}:{kind.value}:v{row.version}",
                    division_code=row.purchaser_code)
                await session.execute(pg_insert(StatementFile).values(
                    statement_id=statement_id, kind=kind.value, document_id=ref.id, created_at=row.approved_at,
                ).on_conflict_do_nothing(index_elements=["statement_id", "kind"]))
            return await file_refs(session, statement_id)


async def file_refs(session: AsyncSession, statement_id: UUID) -> list[FileRef]:
    f, d = STATEMENT_FILES.c, DOCUMENTS.c
    rows = (await session.execute(select(f.kind, d.filename, d.sha256, d.size).join(DOCUMENTS, d.id == f.document_id)
                                  .where(f.statement_id == statement_id).order_by(f.kind))).all()
    return [FileRef(kind=FileKind(r.kind), filename=r.filename, sha256=r.sha256, size=r.size) for r in rows]


_DOC_LINES = text("""
SELECT COALESCE(c.service_no, '') AS service_no, p.name AS person_name, COALESCE(v.name, c.village_code) AS village,
       COALESCE(i.name, l.item_code) AS item_name, COALESCE(i.unit, '') AS unit, l.service_month, l.kind,
       l.unit_price, l.quantity, l.flagged_quantity, l.amount, l.funding_source, l.government_funded
FROM statement_lines l
JOIN cases c ON c.id = l.case_id
JOIN persons p ON p.id = c.person_id
LEFT JOIN divisions v ON v.code = c.village_code
LEFT JOIN service_items i ON i.county_code = c.county_code AND i.code = l.item_code
WHERE l.statement_id = :id
ORDER BY c.service_no NULLS LAST, c.id, l.item_code, l.service_month, l.unit_price
""")


def _funded_by(government: bool) -> str:
    return "政府承担" if government else "社会力量"


async def load_document(session: AsyncSession, row: Any) -> StatementDoc:
    """Everything the payment files show, read in the statement's transaction."""
    head = (await session.execute(text("""
        SELECT pr.name AS provider_name, COALESCE(d.name, :purchaser) AS purchaser_name,
               a.account_name, a.account_no, a.bank_name, COALESCE(u.full_name, '') AS approver
        FROM providers pr
        LEFT JOIN provider_accounts a ON a.provider_id = pr.id
        LEFT JOIN divisions d ON d.code = :purchaser
        LEFT JOIN users u ON u.id = :approver
        WHERE pr.id = :provider
    """), {"purchaser": row.purchaser_code, "approver": row.approved_by, "provider": row.provider_id})).one()
    funds = (await session.execute(select(STATEMENT_FUND_TOTALS).where(
        STATEMENT_FUND_TOTALS.c.statement_id == row.id).order_by(
        STATEMENT_FUND_TOTALS.c.funding_source, STATEMENT_FUND_TOTALS.c.government_funded))).all()
    check = (await session.execute(select(FUND_CHECKS).where(
        FUND_CHECKS.c.county_code == row.county_code, FUND_CHECKS.c.period == row.period))).one_or_none()
    figure = work_funds_check(check.pooled, check.used_total).describe() if check else "未核对"
    lines = (await session.execute(_DOC_LINES, {"id": row.id})).all()
    return StatementDoc(
        statement_no=row.statement_no, period=row.period, version=row.version,
        purchaser_name=head.purchaser_name, provider_name=head.provider_name,
        account_name=head.account_name or "", account_no=head.account_no or "", bank_name=head.bank_name or "",
        approved_by=head.approver, approved_at=row.approved_at.astimezone(CHINA),
        total=row.total_amount, government=row.government_amount, social=row.social_amount,
        adjustment=row.adjustment_amount, clawback=row.clawback_amount, fund_check=figure,
        funds=tuple(FundLine(FundingSource.label(f.funding_source),
                             _funded_by(f.government_funded), f.amount) for f in funds),
        lines=tuple(DocLine(
            service_no=r.service_no, person_name=r.person_name, village_name=r.village, item_name=r.item_name,
            service_month=r.service_month.strftime("%Y-%m"), kind_zh=LineKind.label(r.kind),
            unit_zh=ServiceUnit.label(r.unit), unit_price=r.unit_price, quantity=r.quantity,
            flagged_quantity=r.flagged_quantity, amount=r.amount,
            funding_zh=FundingSource.label(r.funding_source),
            funded_by_zh=_funded_by(r.government_funded)) for r in lines),
    )
