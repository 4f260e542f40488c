"""Database tables (SQLModel): the people and organisations, the case projection and the audit log. The step
records of a case are in models/case_tables.py. Records live here; the process lives in Temporal.

`cases` is the projection: one row per case, written in the same transaction as each step's record, so
supervisors' lists are SQL over indexes. `audit_log` is the step history: (case_id, seq) is the business key
that makes every step's activity idempotent.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import Column, Index, LargeBinary, Table, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import DateTime
from sqlmodel import Field, SQLModel


def json_column(nullable: bool = False) -> Any:
    return Field(default=None, sa_column=Column(JSONB, nullable=nullable))


def tz_column(nullable: bool = False) -> Any:
    return Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=nullable))


class Division(SQLModel, table=True):
    __tablename__ = "divisions"
    code: str = Field(primary_key=True, max_length=12)
    name: str
    level: str  # province / city / county / township / village
    parent_code: str | None = Field(default=None, max_length=12)
    # stats: 统计用区划代码 as published; demo: the demo county's made-up villages; import: a county's own file.
    source: str = Field(default="import", max_length=8, sa_column_kwargs={"server_default": "import"})


class Provider(SQLModel, table=True):
    __tablename__ = "providers"
    id: UUID = Field(default_factory=uuid4, primary_key=True)
    code: str = Field(unique=True, max_length=16)
    name: str
    kind: str  # 社会福利机构 / 社会工作服务机构 / 社会组织
    county_code: str = Field(max_length=6, index=True)
    # 统一社会信用代码 (GB 32100-2015, check character validated); unique among registered providers.
    credit_code: str | None = Field(default=None, max_length=18, unique=True)
    # Last service number handed out; the archive activity increments it under a row lock.
    last_service_no: int = 0
    active: bool = True


class User(SQLModel, table=True):
    __tablename__ = "users"
    id: UUID = Field(default_factory=uuid4, primary_key=True)
    username: str = Field(unique=True, max_length=64)
    full_name: str
    role: str
    jurisdiction: str = Field(max_length=12)
    provider_id: UUID | None = Field(default=None, foreign_key="providers.id")
    person_id: UUID | None = Field(default=None, foreign_key="persons.id")
    password_hash: str
    # A township lead (分管领导) gets the due-date notices of the township's cases.
    is_lead: bool = False
    active: bool = True
    # Tokens issued before this instant are refused (deactivation, password reset): see api/revocation.py.
    tokens_valid_after: datetime | None = tz_column(nullable=True)


class ServiceItem(SQLModel, table=True):
    """One item of a county's service list (服务类社会救助清单)."""

    __tablename__ = "service_items"
    county_code: str = Field(primary_key=True, max_length=6)
    code: str = Field(primary_key=True, max_length=32)
    category: str  # care / living / wellbeing
    name: str
    unit: str  # visit / hour / meal / month
    government_funded: bool
    # Existing benefits that already meet this need (no duplicate services, 000 二(六)).
    overlaps_benefits: list[str] = json_column()


class Person(SQLModel, table=True):
    __tablename__ = "persons"
    id: UUID = Field(default_factory=uuid4, primary_key=True)
    # Keyed HMAC of the ID number: lets us find a person again without the number being readable.
    id_hash: str = Field(unique=True, max_length=64)
    id_cipher: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    name: str
    gender: str
    birth_date: date
    village_code: str = Field(max_length=12)
    category: str
    conditions: list[str] = json_column()
    created_at: datetime = tz_column()
    updated_at: datetime = tz_column()


class Case(SQLModel, table=True):
    __tablename__ = "cases"
    __table_args__ = (
        # One open case per person: the authoritative duplicate guard.
        Index("uq_cases_open_person", "person_id", unique=True, postgresql_where=text("status = 'open'")),
        Index("ix_cases_village_pattern", "village_code", postgresql_ops={"village_code": "text_pattern_ops"}),
        Index("ix_cases_township_step", "township_code", "step"),
        # The supervisor's stuck view: open cases of a county / township already in the page's order (due date
        # or last move, then id), with what the filter and the capped count need, so both read the index only.
        Index("ix_cases_open_county_due", "county_code", "due_on", "id", postgresql_include=["suspended_on"],
              postgresql_where=text("status = 'open'")),
        Index("ix_cases_open_township_due", "township_code", "due_on", "id", postgresql_include=["suspended_on"],
              postgresql_where=text("status = 'open'")),
        Index("ix_cases_open_county_updated", "county_code", "updated_at", "id",
              postgresql_where=text("status = 'open'")),
        Index("ix_cases_open_township_updated", "township_code", "updated_at", "id",
              postgresql_where=text("status = 'open'")),
        Index("ix_cases_blocked", "county_code", postgresql_where=text("blocked_at IS NOT NULL")),
        # Cases handed back to the township's queue (their worker was deactivated): the stuck view's "unassigned".
        Index("ix_cases_open_unassigned", "county_code", "updated_at", "id",
              postgresql_where=text("status = 'open' AND assignee_id IS NULL")),
        # Urgent cases (先行救助) the county watches until reviewed: the stuck view's "urgent_unreviewed".
        Index("ix_cases_open_urgent", "county_code", "updated_at", "id",
              postgresql_where=text("status = 'open' AND urgent IS NOT NULL")),
    )
    id: UUID = Field(primary_key=True)
    person_id: UUID = Field(foreign_key="persons.id")
    channel: str
    step: str
    status: str
    outcome: str | None = None
    holder_role: str | None = None
    assignee_id: UUID | None = Field(default=None, index=True)
    provider_id: UUID | None = Field(default=None, foreign_key="providers.id", index=True)
    awaiting_applicant: bool = False
    county_code: str = Field(max_length=6)
    township_code: str = Field(max_length=9)
    village_code: str = Field(max_length=12)
    need_category: str | None = None
    urgent: str | None = None  # UrgentState: marked for 先行救助 (models/urgent/tables.py holds the care)
    service_no: str | None = None
    seq: int = 0
    # The current step's deadline. Overdue is derived from due_on at query time, never stored. The basis
    # (start + working days, for the step and for the whole intake) lets a deadline be recomputed when a
    # year's calendar is loaded, after a suspension, or after the one extension.
    due_on: date | None = None
    due_provisional: bool = False
    deadline_seq: int | None = None
    step_started_on: date | None = None
    step_workdays: int | None = None
    intake_started_on: date | None = None
    intake_workdays: int | None = None
    suspended_on: date | None = None
    extended: bool = False
    # An automatic step (escalation, monthly review) that kept failing: shown in the stuck view until a
    # supervisor retries it.
    blocked_reason: str | None = None
    blocked_at: datetime | None = tz_column(nullable=True)
    opened_at: datetime = tz_column()
    updated_at: datetime = tz_column()
    closed_at: datetime | None = tz_column(nullable=True)


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_log"
    __table_args__ = (UniqueConstraint("case_id", "seq", name="uq_audit_case_seq"),)
    id: int | None = Field(default=None, primary_key=True)
    case_id: UUID | None = Field(default=None, index=True)
    seq: int | None = None
    action: str
    actor_id: UUID
    actor_role: str
    before: dict[str, Any] | None = json_column(nullable=True)
    after: dict[str, Any] | None = json_column(nullable=True)
    at: datetime = tz_column()
    # The hash chain (tamper evidence): set by the database on insert (trigger audit_chain, migration 0009), each
    # row's hash covering its content and the previous row's hash; infra/audit_chain.py verifies it.
    chain_seq: int | None = Field(default=None, unique=True)
    row_hash: str | None = Field(default=None, max_length=64)


def table_of(model: type[SQLModel]) -> Table:
    table: Table = model.__table__  # type: ignore[attr-defined]  # SQLModel leaves it untyped
    return table


# Typed handles for SQL expressions (`CASES.c.step == ...`); the classes above are for whole rows.
CASES = table_of(Case)
DIVISIONS = table_of(Division)
PERSONS = table_of(Person)
USERS = table_of(User)
PROVIDERS = table_of(Provider)
SERVICE_ITEMS = table_of(ServiceItem)
AUDIT = table_of(AuditEntry)
