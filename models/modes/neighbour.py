"""Neighbour help (邻里互助服务, 池州方案 三(六)6): the township's trained helpers, their pairings with recipients,
the village's service records, the county's subsidy standard and the township's yearly statement.

Never paid twice: `neighbour_statement_records.record_id` is the primary key, so a record belongs to at most one
yearly statement whatever runs and re-runs happen. An approved or paid statement is locked: triggers (migration
0014_neighbour) refuse any change to its lines, records or totals. A helper's bank account is kept encrypted
(Fernet, the ID-number key) with its last four digits for display; it leaves the database only in the payment
files of an approved statement.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import CheckConstraint, Column, Index, LargeBinary, Numeric, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from models.tables import table_of, tz_column


def _money(precision: int = 14) -> Any:
    return Field(default=None, sa_column=Column(Numeric(precision, 2), nullable=False))


class NeighbourHelper(SQLModel, table=True):
    """A neighbour the township trained (简单护理技能培训) and registered as a helper (邻里互助员)."""

    __tablename__ = "neighbour_helpers"
    # The training certificate names one helper of the township: registering it twice finds the first.
    __table_args__ = (UniqueConstraint("township_code", "certificate_no", name="uq_neighbour_helper_certificate"),)
    id: UUID = Field(primary_key=True)
    county_code: str = Field(max_length=6)
    township_code: str = Field(max_length=9)
    village_code: str = Field(max_length=12)
    name: str
    trained_on: date
    certificate_no: str
    account_name: str
    account_cipher: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    account_tail: str = Field(max_length=4)
    bank_name: str
    created_by: UUID
    created_at: datetime = tz_column()


class NeighbourPairing(SQLModel, table=True):
    """A helper serving one recipient's case; its `case_modes` row is written in the same transaction."""

    __tablename__ = "neighbour_pairings"
    __table_args__ = (
        # Pairing the same helper with the same case twice while it runs changes nothing.
        Index("uq_neighbour_pairing_open", "helper_id", "case_id", unique=True,
              postgresql_where=text("ended_on IS NULL")),
        Index("ix_neighbour_pairings_village", "village_code"),
    )
    id: UUID = Field(primary_key=True)
    helper_id: UUID = Field(foreign_key="neighbour_helpers.id")
    case_id: UUID = Field(foreign_key="cases.id")
    township_code: str = Field(max_length=9)
    village_code: str = Field(max_length=12)
    content: str  # the home care agreed (居家照料的内容)
    started_on: date
    ended_on: date | None = None
    end_reason: str | None = None
    created_by: UUID
    created_at: datetime = tz_column()


class NeighbourRecord(SQLModel, table=True):
    """A service the village recorded (服务次数、服务内容), reviewed by the township."""

    __tablename__ = "neighbour_records"
    __table_args__ = (
        # One record per pairing, day and content (several services that day go in its count); a rejected one
        # does not block recording it again correctly.
        Index("uq_neighbour_record", "pairing_id", "served_on", "content", unique=True,
              postgresql_where=text("status <> 'rejected'")),
        Index("ix_neighbour_records_township", "township_code", "status", "served_on"),
        CheckConstraint("count >= 1 AND (minutes IS NULL OR minutes > 0)", name="ck_neighbour_record_count"),
    )
    id: UUID = Field(primary_key=True)
    pairing_id: UUID = Field(foreign_key="neighbour_pairings.id")
    helper_id: UUID = Field(foreign_key="neighbour_helpers.id")
    case_id: UUID = Field(foreign_key="cases.id")
    township_code: str = Field(max_length=9)
    village_code: str = Field(max_length=12)
    served_on: date
    content: str
    count: int = 1
    minutes: int | None = None
    status: str  # RecordStatus
    reject_reason: str | None = None
    recorded_by: UUID
    recorded_at: datetime = tz_column()
    reviewed_by: UUID | None = None
    reviewed_at: datetime | None = tz_column(nullable=True)


class NeighbourRate(SQLModel, table=True):
    """The county's subsidy standard over a date range (帮扶补贴标准), per service or per month."""

    __tablename__ = "neighbour_rates"
    __table_args__ = (CheckConstraint("amount >= 0 AND (valid_to IS NULL OR valid_to >= valid_from)",
                                      name="ck_neighbour_rate_range"),)
    county_code: str = Field(primary_key=True, max_length=6)
    valid_from: date = Field(primary_key=True)
    valid_to: date | None = None
    basis: str  # RateBasis
    amount: Decimal = _money(12)
    created_by: UUID
    created_at: datetime = tz_column()


class NeighbourStatement(SQLModel, table=True):
    """One township x year (邻里互助补贴年度结算单)."""

    __tablename__ = "neighbour_statements"
    __table_args__ = (
        UniqueConstraint("year", "township_code", name="uq_neighbour_statement"),
        CheckConstraint("status IN ('draft', 'returned', 'approved', 'paid')", name="ck_neighbour_statement"),
    )
    id: UUID = Field(primary_key=True)
    statement_no: str = Field(unique=True, max_length=48)
    year: int
    county_code: str = Field(max_length=6, index=True)
    township_code: str = Field(max_length=9)
    status: str  # YearStatus
    version: int = 0  # bumped when a re-run changes the content; an approval names the version it read
    content_sha256: str | None = None
    helper_count: int = 0
    record_count: int = 0
    total_amount: Decimal = _money()
    adjustment_amount: Decimal = _money()
    computed_at: datetime = tz_column()
    due_on: date | None = None  # the county's approval deadline (settlement_approval working days)
    approved_by: UUID | None = None
    approved_at: datetime | None = tz_column(nullable=True)
    returned_by: UUID | None = None
    returned_at: datetime | None = tz_column(nullable=True)
    return_reason: str | None = None
    paid_by: UUID | None = None
    paid_at: datetime | None = tz_column(nullable=True)
    paid_on: date | None = None
    voucher_no: str | None = None


class NeighbourStatementLine(SQLModel, table=True):
    """One helper x service year x standard on a statement; an earlier year's line is an adjustment (补结)."""

    __tablename__ = "neighbour_statement_lines"
    id: int | None = Field(default=None, primary_key=True)
    statement_id: UUID = Field(index=True)
    helper_id: UUID
    service_year: int
    kind: str  # LineKind
    basis: str  # RateBasis
    unit_amount: Decimal = _money(12)
    quantity: int
    record_count: int
    amount: Decimal = _money()


class NeighbourStatementRecord(SQLModel, table=True):
    """Which yearly statement settled which record: the record's one and only settlement."""

    __tablename__ = "neighbour_statement_records"
    record_id: UUID = Field(primary_key=True)
    statement_id: UUID = Field(index=True)
    helper_id: UUID
    served_on: date
    basis: str
    quantity: int
    amount: Decimal = _money(12)


class NeighbourStatementFile(SQLModel, table=True):
    __tablename__ = "neighbour_statement_files"
    statement_id: UUID = Field(primary_key=True, foreign_key="neighbour_statements.id")
    kind: str = Field(primary_key=True)  # xlsx / csv
    document_id: UUID = Field(foreign_key="documents.id", unique=True)
    created_at: datetime = tz_column()


HELPERS = table_of(NeighbourHelper)
PAIRINGS = table_of(NeighbourPairing)
RECORDS = table_of(NeighbourRecord)
RATES = table_of(NeighbourRate)
YEAR_STATEMENTS = table_of(NeighbourStatement)
YEAR_LINES = table_of(NeighbourStatementLine)
YEAR_LEDGER = table_of(NeighbourStatementRecord)
YEAR_FILES = table_of(NeighbourStatementFile)
