"""Tables of dynamic management (动态管理): status events, hearings, written decisions, plan
changes by effective date, transfers within the county, the monthly roster imports and the screening list, and
the settlement's record of disallowed and clawed-back service records."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import Column, Index, LargeBinary, Numeric, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.tables import json_column, table_of, tz_column


class StatusEvent(SQLModel, table=True):
    """A recipient's status change, from a worker, the roster or the monthly review; `case_seq` is the step at
    which its case took it in (None: no open case, or not yet)."""

    __tablename__ = "status_events"
    __table_args__ = (Index("ix_status_events_case", "case_id"), Index("ix_status_events_person", "person_id"))
    id: UUID = Field(default_factory=uuid4, primary_key=True)
    business_key: str = Field(unique=True, max_length=120)
    person_id: UUID = Field(foreign_key="persons.id")
    case_id: UUID | None = None
    change: str  # StatusChange
    source: str  # EventSource
    effective_on: date
    evidence: str
    category: str | None = None
    to_village: str | None = Field(default=None, max_length=12)
    village_code: str = Field(max_length=12)  # the person's village when it was recorded
    import_id: UUID | None = None
    recorded_by: UUID
    recorded_at: datetime = tz_column()
    case_seq: int | None = None


class Hearing(SQLModel, table=True):
    """A proposal told to the recipient (拟变更 / 拟终止告知书) and, for a reduction or stop, the hearing."""

    __tablename__ = "hearings"
    case_id: UUID = Field(primary_key=True, foreign_key="cases.id")
    seq: int = Field(primary_key=True)
    kind: str  # ChangeKind
    reasons: str
    facts: str
    items: list[dict[str, Any]] = json_column()
    effective_on: date
    hearing_days: int | None = None
    hearing_ends_on: date | None = None  # the last day to state and defend
    events: list[str] = json_column()
    proposed_by: UUID
    proposed_at: datetime = tz_column()
    statement: str | None = None
    statement_by: str | None = None
    statement_waived: bool = False
    stated_by: UUID | None = None
    stated_at: datetime | None = tz_column(nullable=True)
    lapsed_at: datetime | None = tz_column(nullable=True)
    decision_seq: int | None = None


class ServiceDecision(SQLModel, table=True):
    """A written decision (变更 / 终止决定书), with what it answers and the remedies it states."""

    __tablename__ = "service_decisions"
    case_id: UUID = Field(primary_key=True, foreign_key="cases.id")
    seq: int = Field(primary_key=True)
    hearing_seq: int | None = None
    result: str  # DecisionResult
    basis: str  # hearing / own_request / death
    reasons: str
    statement_considered: str | None = None
    effective_on: date
    review_by: date | None = None
    litigation_by: date | None = None
    decided_by: UUID
    decided_at: datetime = tz_column()


class PlanChange(SQLModel, table=True):
    """The plan from `effective_on` on (empty items: services stopped). Settlement pays each day by the change
    in force that day, or by the filed service plan before the first change."""

    __tablename__ = "plan_changes"
    case_id: UUID = Field(primary_key=True, foreign_key="cases.id")
    seq: int = Field(primary_key=True)
    provider_id: UUID
    effective_on: date
    items: list[dict[str, Any]] = json_column()
    reason: str
    acknowledged_by: UUID | None = None
    acknowledged_at: datetime | None = tz_column(nullable=True)
    created_at: datetime = tz_column()


class CaseTransfer(SQLModel, table=True):
    """A move within the county: the former township keeps reading the case's history."""

    __tablename__ = "case_transfers"
    case_id: UUID = Field(primary_key=True, foreign_key="cases.id")
    seq: int = Field(primary_key=True)
    from_village: str = Field(max_length=12, index=True)
    to_village: str = Field(max_length=12)
    reason: str
    transferred_by: UUID
    transferred_at: datetime = tz_column()


class RosterImport(SQLModel, table=True):
    """One monthly roster file; the same file (by content) imported twice is the same import."""

    __tablename__ = "roster_imports"
    __table_args__ = (UniqueConstraint("county_code", "sha256", name="uq_roster_file"),)
    id: UUID = Field(default_factory=uuid4, primary_key=True)
    county_code: str = Field(max_length=6)
    jurisdiction: str = Field(max_length=12)
    filename: str
    sha256: str = Field(max_length=64)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    status: str  # ImportStatus
    total_rows: int = 0
    done_rows: int = 0
    good_rows: int = 0
    bad_rows: int = 0
    new_people: int = 0
    events: int = 0
    screenings: int = 0
    error: str | None = None
    errors_xlsx: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    imported_by: UUID
    created_at: datetime = tz_column()
    finished_at: datetime | None = tz_column(nullable=True)


class Screening(SQLModel, table=True):
    """A new recipient on the village assistant's screening list (需求摸排)."""

    __tablename__ = "screenings"
    __table_args__ = (UniqueConstraint("person_id", "listed_for", name="uq_screening_person_date"),
                      Index("ix_screenings_village_status", "village_code", "status"))
    id: UUID = Field(default_factory=uuid4, primary_key=True)
    person_id: UUID = Field(foreign_key="persons.id")
    village_code: str = Field(max_length=12)
    listed_for: date  # the roster's effective date of the person's entry
    period: str = Field(max_length=7)  # the month the list belongs to
    import_id: UUID | None = None
    due_on: date
    status: str  # ScreeningStatus
    reason: str | None = None
    case_id: UUID | None = None
    screened_by: UUID | None = None
    screened_at: datetime | None = tz_column(nullable=True)
    created_at: datetime = tz_column()


class DisallowedRecord(SQLModel, table=True):
    """A service record settlement must not pay (a decision removed its day; a spot check found it not
    delivered): unpaid it is flagged, paid it is clawed back once (activities/settlement/disallow.py)."""

    __tablename__ = "disallowed_records"
    record_id: UUID = Field(primary_key=True)
    reason: str
    source_kind: str
    source_id: str = Field(max_length=120)
    disallowed_at: datetime = tz_column()


class Clawback(SQLModel, table=True):
    """A paid record taken back on a later statement: one row per record, so it is reclaimed once."""

    __tablename__ = "clawbacks"
    record_id: UUID = Field(primary_key=True)
    statement_id: UUID = Field(index=True)
    case_id: UUID
    item_code: str = Field(max_length=32)
    service_month: date
    agreement_id: UUID
    unit_price: Decimal = Field(sa_column=Column(Numeric(12, 2), nullable=False))
    funding_source: str
    government_funded: bool
    quantity: int
    amount: Decimal = Field(sa_column=Column(Numeric(12, 2), nullable=False))  # positive: what is taken back
    reason: str


STATUS_EVENTS = table_of(StatusEvent)
HEARINGS = table_of(Hearing)
SERVICE_DECISIONS = table_of(ServiceDecision)
PLAN_CHANGES = table_of(PlanChange)
CASE_TRANSFERS = table_of(CaseTransfer)
ROSTER_IMPORTS = table_of(RosterImport)
SCREENINGS = table_of(Screening)
DISALLOWED = table_of(DisallowedRecord)
CLAWBACKS = table_of(Clawback)
