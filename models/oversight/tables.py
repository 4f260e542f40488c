"""Oversight tables (监督管理, step 10): the long-term public notice and its objections, the inspectors' register,
spot-check draws and checks, and rectifications. Complaints, return visits, evaluations and the county's
oversight settings are in complaint_tables.py.

A draw's sample is kept per stratum as arrays (check_samples); a check's row is written when it is recorded.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Column, Index, UniqueConstraint, Uuid
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Field, SQLModel

from models.tables import json_column, table_of, tz_column


class NoticePublication(SQLModel, table=True):
    """One publication of a village's long-term notice (长期公示): exactly what it showed, its hash, who
    published it, and what changed since the previous one (新增 / 退出)."""

    __tablename__ = "notice_publications"
    __table_args__ = (UniqueConstraint("village_code", "seq", name="uq_notice_village_seq"),)
    id: UUID = Field(primary_key=True)
    village_code: str = Field(max_length=12)
    township_code: str = Field(max_length=9, index=True)
    county_code: str = Field(max_length=6)
    seq: int
    published_on: date
    # The lines as shown (name, village, items, start date), each with its case id to tell changes apart; the
    # PDF and XLSX are rendered from these alone (activities/oversight/render.py), and the content hash is of
    # these lines, so a re-rendered file shows exactly what was published.
    entries: list[dict[str, Any]] = json_column()
    added: list[dict[str, Any]] = json_column()
    removed: list[dict[str, Any]] = json_column()
    content_sha256: str = Field(max_length=64)
    # The PDF and XLSX as published, kept in the document store: {"pdf": document id, "xlsx": document id}.
    documents: dict[str, str] = json_column()
    published_by: UUID
    published_at: datetime = tz_column()


class Objection(SQLModel, table=True):
    """An objection to a notice (异议), anonymous if the objector wishes; verified by the township."""

    __tablename__ = "objections"
    id: UUID = Field(primary_key=True)
    publication_id: UUID = Field(foreign_key="notice_publications.id", index=True)
    village_code: str = Field(max_length=12)
    township_code: str = Field(max_length=9, index=True)
    county_code: str = Field(max_length=6)
    case_id: UUID | None = Field(default=None, foreign_key="cases.id")  # the line objected to, if one
    channel: str  # ObjectionChannel
    anonymous: bool
    objector_name: str | None = None
    objector_contact: str | None = None
    content: str
    received_by: UUID
    received_at: datetime = tz_column()
    result: str | None = None  # ObjectionResult
    result_reasons: str | None = None
    decided_by: UUID | None = None
    decided_at: datetime | None = tz_column(nullable=True)


class Inspector(SQLModel, table=True):
    """The register of inspectors (检查人员名录) a county draws from: where each works and for whom, so that
    nobody is drawn for their own township or provider."""

    __tablename__ = "inspectors"
    id: UUID = Field(primary_key=True)
    county_code: str = Field(max_length=6, index=True)
    name: str
    user_id: UUID | None = Field(default=None, foreign_key="users.id")
    township_code: str | None = Field(default=None, max_length=9)
    provider_id: UUID | None = Field(default=None, foreign_key="providers.id")
    active: bool = True
    created_at: datetime = tz_column()


class CheckDraw(SQLModel, table=True):
    """One draw of service records for spot checks (抽查): its seed and its population, so that the same
    inputs give the same sample."""

    __tablename__ = "check_draws"
    __table_args__ = (UniqueConstraint("county_code", "year", "seq", name="uq_check_draw_seq"),)
    id: UUID = Field(primary_key=True)
    county_code: str = Field(max_length=6)
    year: int
    seq: int
    kind: str  # DrawKind
    seed: str
    percent: int | None = None  # a regular draw's share; a top-up draws the gap
    as_of: datetime = tz_column()  # the population: the year's records recorded by then, not drawn before
    population: int
    # An order-independent digest of the population's record ids (bit_xor of uuid_hash_extended(id, 0)), to
    # show later that a re-run saw the same records.
    population_digest: str = Field(max_length=32)
    sampled: int
    # Per stratum (township x provider): its population, its quota and the inspectors drawn for it, in order.
    strata: list[dict[str, Any]] = json_column()
    drawn_by: UUID
    drawn_at: datetime = tz_column()


class CheckSample(SQLModel, table=True):
    """The records one draw took from one stratum, in the seeded order, with the stratum's inspectors: record i
    goes to inspector i mod len(inspectors). Kept as arrays, one row per stratum: a county-year's draw is
    ~300,000 records, and writing them as rows cost more than the whole selection (bench/oversight.py)."""

    __tablename__ = "check_samples"
    __table_args__ = (Index("ix_check_samples_county_year", "county_code", "year"),)
    draw_id: UUID = Field(primary_key=True, foreign_key="check_draws.id")
    township_code: str = Field(primary_key=True, max_length=9)
    provider_id: UUID = Field(primary_key=True)
    county_code: str = Field(max_length=6)
    year: int
    record_ids: list[UUID] = Field(sa_column=Column(ARRAY(Uuid()), nullable=False))
    inspectors: list[UUID] = Field(sa_column=Column(ARRAY(Uuid()), nullable=False))


class SpotCheck(SQLModel, table=True):
    """The check of one drawn record, written when the inspector records it (a record is checked once)."""

    __tablename__ = "spot_checks"
    __table_args__ = (Index("ix_spot_checks_county_year", "county_code", "year", "township_code"),)
    record_id: UUID = Field(primary_key=True)
    draw_id: UUID = Field(foreign_key="check_draws.id")
    case_id: UUID
    provider_id: UUID
    township_code: str = Field(max_length=9)
    county_code: str = Field(max_length=6)
    year: int
    inspector_id: UUID
    method: str  # CheckMethod
    result: str  # CheckResult
    notes: str | None = None
    evidence: list[dict[str, Any]] | None = json_column(nullable=True)
    # "Not delivered" was passed to settlement (activities/settlement/disallow.py): the record is not billed,
    # or, if already paid, comes back as a negative adjustment. False while that mechanism is not installed.
    disallowed: bool = False
    checked_by: UUID
    checked_at: datetime = tz_column()


class Rectification(SQLModel, table=True):
    """A provider's rectification (整改) after a finding; the county verifies it."""

    __tablename__ = "rectifications"
    __table_args__ = (UniqueConstraint("source", "source_id", name="uq_rectification_source"),)
    id: UUID = Field(primary_key=True)
    county_code: str = Field(max_length=6, index=True)
    township_code: str | None = Field(default=None, max_length=9)
    provider_id: UUID = Field(foreign_key="providers.id", index=True)
    case_id: UUID | None = Field(default=None, foreign_key="cases.id")
    source: str  # RectificationSource
    source_id: UUID
    requirement: str
    status: str  # RectificationStatus
    due_on: date
    report: str | None = None
    submitted_at: datetime | None = tz_column(nullable=True)
    on_time: bool | None = None  # submitted (the last time) by its due date
    verified_by: UUID | None = None
    verified_at: datetime | None = tz_column(nullable=True)
    rounds: int = 1  # a report the county sends back starts another round
    opened_by: UUID
    opened_at: datetime = tz_column()


NOTICES = table_of(NoticePublication)
OBJECTIONS = table_of(Objection)
INSPECTORS = table_of(Inspector)
CHECK_DRAWS = table_of(CheckDraw)
CHECK_SAMPLES = table_of(CheckSample)
SPOT_CHECKS = table_of(SpotCheck)
RECTIFICATIONS = table_of(Rectification)
