"""Settlement tables (资金结算, step 8): fee standards, purchase agreements, the 1% figure, statements.

The never-paid-twice guarantee is `statement_records.record_id` as primary key: a service record belongs to at
most one statement, whatever runs, re-runs or retries happen. Approved and paid statements are locked: the
run only ever rewrites draft and returned ones, and triggers (migration 0003) refuse any change to the lines,
records or totals of a locked statement.

The two high-volume tables (a county's month is ~800,000 ledger rows and ~200,000 lines) carry no foreign
keys: they are written only by the computation, from joins with the rows they point to, in one transaction;
a per-row referential check would cost more than the rest of the insert.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKeyConstraint,
    Index,
    Numeric,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from models.tables import table_of, tz_column


def _money(nullable: bool = False, precision: int = 14) -> Any:
    return Field(default=None, sa_column=Column(Numeric(precision, 2), nullable=nullable))


class FeeStandard(SQLModel, table=True):
    """The price of one item of a county's service list over a date range (收费标准)."""

    __tablename__ = "fee_standards"
    __table_args__ = (
        ForeignKeyConstraint(["county_code", "item_code"], ["service_items.county_code", "service_items.code"]),
        CheckConstraint("price >= 0 AND (valid_to IS NULL OR valid_to >= valid_from)", name="ck_fee_standard_range"),
    )
    county_code: str = Field(primary_key=True, max_length=6)
    item_code: str = Field(primary_key=True, max_length=32)
    valid_from: date = Field(primary_key=True)
    valid_to: date | None = None
    price: Decimal = _money(precision=12)
    funding_source: str  # FundingSource
    created_by: UUID
    created_at: datetime = tz_column()


class CountyFunds(SQLModel, table=True):
    """The locally pooled assistance funds of a budget year: the base of the 1% check (001 三(四)3)."""

    __tablename__ = "county_funds"
    county_code: str = Field(primary_key=True, max_length=6)
    year: int = Field(primary_key=True)
    pooled_assistance_funds: Decimal = _money(precision=16)
    updated_by: UUID
    updated_at: datetime = tz_column()


class ProviderAccount(SQLModel, table=True):
    """Where a provider is paid: an organisation's bank account, never a person's."""

    __tablename__ = "provider_accounts"
    provider_id: UUID = Field(primary_key=True, foreign_key="providers.id")
    account_name: str
    account_no: str = Field(max_length=40)
    bank_name: str
    updated_by: UUID
    updated_at: datetime = tz_column()


class PurchaseAgreement(SQLModel, table=True):
    """A government purchase of services (政府购买服务) from one provider by a county or a township."""

    __tablename__ = "purchase_agreements"
    __table_args__ = (
        Index("ix_agreements_provider", "provider_id", "county_code"),
        CheckConstraint("status IN ('initiated', 'implementing', 'accepted') AND ends_on >= starts_on",
                        name="ck_agreement_status_period"),
    )
    id: UUID = Field(primary_key=True)
    agreement_no: str = Field(unique=True, max_length=40)
    county_code: str = Field(max_length=6)
    purchaser_code: str = Field(max_length=9)
    provider_id: UUID = Field(foreign_key="providers.id")
    title: str
    starts_on: date
    ends_on: date
    status: str  # AgreementStatus
    created_by: UUID
    created_at: datetime = tz_column()
    updated_at: datetime = tz_column()


class AgreementItem(SQLModel, table=True):
    __tablename__ = "agreement_items"
    agreement_id: UUID = Field(primary_key=True, foreign_key="purchase_agreements.id")
    item_code: str = Field(primary_key=True, max_length=32)
    # The agreed price; None settles at the fee standard. Never above the standard in force on the service date.
    price: Decimal | None = _money(nullable=True, precision=12)


class SettlementRun(SQLModel, table=True):
    """One county x period: its fixed cutoff, and when it last ran."""

    __tablename__ = "settlement_runs"
    period: str = Field(primary_key=True, max_length=7)
    county_code: str = Field(primary_key=True, max_length=6)
    cutoff_at: datetime = tz_column()
    runs: int = 0
    last_workflow_id: str | None = None
    last_started_at: datetime = tz_column()
    last_finished_at: datetime | None = tz_column(nullable=True)


class Statement(SQLModel, table=True):
    """One purchaser x provider x period (结算单)."""

    __tablename__ = "statements"
    __table_args__ = (
        UniqueConstraint("period", "purchaser_code", "provider_id", name="uq_statement_purchaser_provider"),
        Index("ix_statements_county_period", "county_code", "period"),
        Index("ix_statements_purchaser", "purchaser_code", "period"),
        # The total may be below zero: clawbacks of records a later decision removed are netted (0007).
        CheckConstraint("status IN ('draft', 'returned', 'approved', 'paid')", name="ck_statement_status"),
    )
    id: UUID = Field(primary_key=True)
    statement_no: str = Field(unique=True, max_length=48)
    period: str = Field(max_length=7)
    county_code: str = Field(max_length=6)
    purchaser_code: str = Field(max_length=9)
    provider_id: UUID = Field(foreign_key="providers.id")
    status: str  # StatementStatus
    # Bumped whenever a re-run changes the content; an approval names the version it approves.
    version: int = 0
    content_sha256: str | None = None
    record_count: int = 0
    line_count: int = 0
    paid_quantity: int = 0
    flagged_quantity: int = 0
    total_amount: Decimal = _money()
    government_amount: Decimal = _money()
    social_amount: Decimal = _money()
    adjustment_amount: Decimal = _money()
    clawback_amount: Decimal = _money()  # zero or negative: paid records taken back (追回)
    computed_at: datetime = tz_column()
    # The approval's due date, written by the deadlines work (issue 3); overdue is derived, never stored.
    due_on: date | None = None
    approved_by: UUID | None = None
    approved_at: datetime | None = tz_column(nullable=True)
    returned_by: UUID | None = None
    returned_at: datetime | None = tz_column(nullable=True)
    return_reason: str | None = None
    paid_by: UUID | None = None
    paid_at: datetime | None = tz_column(nullable=True)
    paid_on: date | None = None
    voucher_no: str | None = None


class StatementLine(SQLModel, table=True):
    """One case x item x service month x price on a statement; adjustments are lines of earlier months."""

    __tablename__ = "statement_lines"
    __table_args__ = (Index("ix_statement_lines_case", "case_id"),)
    id: int | None = Field(default=None, primary_key=True)
    statement_id: UUID = Field(index=True)
    case_id: UUID
    item_code: str = Field(max_length=32)
    service_month: date
    kind: str  # regular 本月 / adjustment 补结 / clawback 追回 (negative quantity and amount)
    agreement_id: UUID
    unit_price: Decimal = _money(precision=12)
    funding_source: str
    government_funded: bool
    quantity: int
    flagged_quantity: int
    record_count: int
    amount: Decimal = _money()


class StatementRecord(SQLModel, table=True):
    """Which statement settled which service record, and how: the record's one and only settlement."""

    __tablename__ = "statement_records"
    __table_args__ = (
        CheckConstraint("paid_quantity >= 0 AND flagged_quantity >= 0 AND amount >= 0", name="ck_statement_record"),
    )
    record_id: UUID = Field(primary_key=True)
    statement_id: UUID = Field(index=True)
    outcome: str  # paid / over_plan (wholly or partly) / duplicate
    paid_quantity: int
    flagged_quantity: int
    amount: Decimal = _money(precision=12)


class StatementFundTotal(SQLModel, table=True):
    __tablename__ = "statement_fund_totals"
    statement_id: UUID = Field(primary_key=True, foreign_key="statements.id")
    funding_source: str = Field(primary_key=True)
    government_funded: bool = Field(primary_key=True)
    amount: Decimal = _money()


class SettlementException(SQLModel, table=True):
    """A confirmed record a run could not bill (no agreement, no fee standard, not in the plan, statement
    locked). It stays unsettled and is considered again by the next run: never lost."""

    __tablename__ = "settlement_exceptions"
    period: str = Field(primary_key=True, max_length=7)
    county_code: str = Field(primary_key=True, max_length=6)
    record_id: UUID = Field(primary_key=True)
    case_id: UUID
    provider_id: UUID
    item_code: str
    service_month: date
    reason: str


class FundCheckRow(SQLModel, table=True):
    """The 1% check of a county x period, as computed by the run, with the figures it used."""

    __tablename__ = "fund_checks"
    county_code: str = Field(primary_key=True, max_length=6)
    period: str = Field(primary_key=True, max_length=7)
    status: str  # FundCheckStatus
    pooled: Decimal | None = _money(nullable=True, precision=16)
    cap: Decimal | None = _money(nullable=True, precision=16)
    used_before: Decimal = _money(precision=16)
    used_this_period: Decimal = _money(precision=16)
    used_total: Decimal = _money(precision=16)
    share_percent: Decimal | None = Field(default=None, sa_column=Column(Numeric(7, 2), nullable=True))
    computed_at: datetime = tz_column()


class StatementFile(SQLModel, table=True):
    """A payment file of an approved statement, kept as produced in the document store (name, size and
    SHA-256 on its `documents` row)."""

    __tablename__ = "statement_files"
    statement_id: UUID = Field(primary_key=True, foreign_key="statements.id")
    kind: str = Field(primary_key=True)  # xlsx / csv
    document_id: UUID = Field(foreign_key="documents.id", unique=True)
    created_at: datetime = tz_column()


# Typed handles for SQL expressions, as in tables.py.
FEE_STANDARDS = table_of(FeeStandard)
COUNTY_FUNDS = table_of(CountyFunds)
PROVIDER_ACCOUNTS = table_of(ProviderAccount)
AGREEMENTS = table_of(PurchaseAgreement)
AGREEMENT_ITEMS = table_of(AgreementItem)
SETTLEMENT_RUNS = table_of(SettlementRun)
STATEMENTS = table_of(Statement)
STATEMENT_LINES = table_of(StatementLine)
STATEMENT_RECORDS = table_of(StatementRecord)
STATEMENT_FUND_TOTALS = table_of(StatementFundTotal)
SETTLEMENT_EXCEPTIONS = table_of(SettlementException)
FUND_CHECKS = table_of(FundCheckRow)
STATEMENT_FILES = table_of(StatementFile)
