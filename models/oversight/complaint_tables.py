"""Oversight tables, continued: complaints and 12345 work orders, satisfaction return visits, the provider
evaluation, and a county's oversight settings."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import Column, Index, Numeric, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from models.tables import json_column, table_of, tz_column


class Complaint(SQLModel, table=True):
    """A complaint or a 12345 work order (投诉 / 工单). The complainant's name and contact are never shown to a
    provider; an anonymous complaint has none, a confidential one keeps them for the county and township only."""

    __tablename__ = "complaints"
    __table_args__ = (
        Index("uq_complaint_work_order", "county_code", "work_order_no", unique=True,
              postgresql_where=text("work_order_no IS NOT NULL")),
        Index("ix_complaints_county_status", "county_code", "status"),
    )
    id: UUID = Field(primary_key=True)
    complaint_no: str = Field(unique=True, max_length=32)
    county_code: str = Field(max_length=6)
    township_code: str | None = Field(default=None, max_length=9, index=True)
    channel: str  # ComplaintChannel
    work_order_no: str | None = Field(default=None, max_length=40)
    category: str  # ComplaintCategory
    content: str
    anonymous: bool
    confidential: bool
    complainant_name: str | None = None
    complainant_contact: str | None = None
    case_id: UUID | None = Field(default=None, foreign_key="cases.id")
    provider_id: UUID | None = Field(default=None, foreign_key="providers.id", index=True)
    handler: str  # Handler
    handler_code: str = Field(max_length=9)  # the township or county handling it
    status: str  # ComplaintStatus
    accepted_at: datetime | None = tz_column(nullable=True)
    accepted_on_time: bool | None = None
    extended: bool = False
    extension_reason: str | None = None
    reply: str | None = None
    upheld: bool | None = None  # the handler's finding: the complaint was well founded (查实)
    replied_at: datetime | None = tz_column(nullable=True)
    resolved_on_time: bool | None = None
    redone: bool = False  # 发回重办, at most once
    redo_reason: str | None = None
    caller_satisfied: bool | None = None
    visit_note: str | None = None
    received_by: UUID
    received_at: datetime = tz_column()
    closed_at: datetime | None = tz_column(nullable=True)


class VisitDraw(SQLModel, table=True):
    """A month's sample of in-service cases for satisfaction return visits (满意度回访), per provider."""

    __tablename__ = "visit_draws"
    county_code: str = Field(primary_key=True, max_length=6)
    period: str = Field(primary_key=True, max_length=7)
    id: UUID = Field(unique=True)
    seed: str
    percent: int
    population: int
    sampled: int
    drawn_by: UUID
    drawn_at: datetime = tz_column()


class SatisfactionVisit(SQLModel, table=True):
    __tablename__ = "satisfaction_visits"
    __table_args__ = (
        UniqueConstraint("period", "case_id", name="uq_visit_period_case"),
        Index("ix_visits_village_status", "village_code", "status"),
        Index("ix_visits_county_period", "county_code", "period"),
    )
    id: UUID = Field(primary_key=True)
    draw_id: UUID = Field(index=True)
    period: str = Field(max_length=7)
    case_id: UUID = Field(foreign_key="cases.id")
    provider_id: UUID = Field(foreign_key="providers.id")
    county_code: str = Field(max_length=6)
    township_code: str = Field(max_length=9)
    village_code: str = Field(max_length=12)
    status: str  # VisitStatus
    attempts: int = 0
    result: str | None = None  # Satisfaction
    comments: str | None = None
    follow_up: str | None = None  # FollowUp
    follow_up_id: UUID | None = None
    visited_by: UUID | None = None
    visited_at: datetime | None = tz_column(nullable=True)


class ProviderEvaluation(SQLModel, table=True):
    """A provider's evaluation (绩效评价) under one purchase agreement, computed from the data; required before
    the agreement is accepted (验收), frozen once it is."""

    __tablename__ = "provider_evaluations"
    agreement_id: UUID = Field(primary_key=True, foreign_key="purchase_agreements.id")
    provider_id: UUID = Field(foreign_key="providers.id", index=True)
    county_code: str = Field(max_length=6)
    period_start: date
    period_end: date
    # Per metric: numerator, denominator and rate (None: no data); the weights used; the score out of 100.
    metrics: dict[str, Any] = json_column()
    weights: dict[str, int] = json_column()
    score: Decimal | None = Field(default=None, sa_column=Column(Numeric(5, 2), nullable=True))
    computed_by: UUID
    computed_at: datetime = tz_column()


class OversightSettings(SQLModel, table=True):
    """A county's oversight settings; absent keys fall back to policy/oversight.py's documented defaults."""

    __tablename__ = "oversight_settings"
    county_code: str = Field(primary_key=True, max_length=6)
    settings: dict[str, Any] = json_column()
    updated_by: UUID
    updated_at: datetime = tz_column()


COMPLAINTS = table_of(Complaint)
VISIT_DRAWS = table_of(VisitDraw)
VISITS = table_of(SatisfactionVisit)
EVALUATIONS = table_of(ProviderEvaluation)
OVERSIGHT_SETTINGS = table_of(OversightSettings)
