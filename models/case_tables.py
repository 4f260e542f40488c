"""The records each step of a case writes (SQLModel), one table per kind of record, in the order of the steps.
Each is written by the step's activity in the same transaction as the audit row and the case projection."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from models.tables import json_column, table_of, tz_column


class Application(SQLModel, table=True):
    __tablename__ = "applications"
    case_id: UUID = Field(primary_key=True, foreign_key="cases.id")
    channel: str
    need_description: str
    submitted_by: UUID
    submitted_at: datetime = tz_column()


class Registration(SQLModel, table=True):
    __tablename__ = "registrations"
    case_id: UUID = Field(primary_key=True, foreign_key="cases.id")
    need_category: str
    note: str | None = None
    registered_by: UUID
    registered_at: datetime = tz_column()


class MaterialsRequest(SQLModel, table=True):
    """An incomplete application returned to the applicant with what is missing (补充材料)."""

    __tablename__ = "materials_requests"
    case_id: UUID = Field(primary_key=True, foreign_key="cases.id")
    seq: int = Field(primary_key=True)
    missing: list[str] = json_column()
    requested_by: UUID
    requested_at: datetime = tz_column()
    resubmitted_at: datetime | None = tz_column(nullable=True)


class Survey(SQLModel, table=True):
    __tablename__ = "surveys"
    case_id: UUID = Field(primary_key=True, foreign_key="cases.id")
    visited_on: date
    surveyors: list[dict[str, Any]] = json_column()
    identity_checked: bool
    signed_by_both: bool
    assessments: list[dict[str, Any]] = json_column()
    own_requests: str
    existing_benefits: list[str] = json_column()
    recorded_by: UUID
    recorded_at: datetime = tz_column()


class Review(SQLModel, table=True):
    __tablename__ = "reviews"
    case_id: UUID = Field(primary_key=True, foreign_key="cases.id")
    decision: str
    reasons: str
    eligibility_basis: str
    difficulty_type: str | None = None
    difficulty_degree: str | None = None
    decided_by: UUID
    decided_at: datetime = tz_column()


class ApprovedItem(SQLModel, table=True):
    __tablename__ = "approved_items"
    case_id: UUID = Field(primary_key=True, foreign_key="cases.id")
    item_code: str = Field(primary_key=True)
    quantity_per_month: int
    # ServiceMode: which of the seven modes delivers it (only purchase goes to a provider by referral and plan)
    mode: str = Field(default="purchase", sa_column_kwargs={"server_default": "purchase"})


class Referral(SQLModel, table=True):
    __tablename__ = "referrals"
    case_id: UUID = Field(primary_key=True, foreign_key="cases.id")
    seq: int = Field(primary_key=True)
    provider_id: UUID = Field(foreign_key="providers.id")
    referred_by: UUID
    referred_at: datetime = tz_column()
    accepted: bool | None = None
    response_reason: str | None = None
    responded_at: datetime | None = tz_column(nullable=True)


class ServicePlan(SQLModel, table=True):
    __tablename__ = "service_plans"
    case_id: UUID = Field(primary_key=True, foreign_key="cases.id")
    provider_id: UUID = Field(foreign_key="providers.id")
    starts_on: date
    summary: str
    items: list[dict[str, Any]] = json_column()
    filed_by: UUID
    filed_at: datetime = tz_column()


class ServiceRecord(SQLModel, table=True):
    """One service delivered. Written by the API straight to the database, never into workflow history."""

    __tablename__ = "service_records"
    __table_args__ = (
        UniqueConstraint("case_id", "item_code", "provider_id", "started_at", name="uq_service_record"),
    )
    id: UUID = Field(default_factory=uuid4, primary_key=True)
    case_id: UUID = Field(foreign_key="cases.id", index=True)
    provider_id: UUID = Field(foreign_key="providers.id")
    item_code: str
    started_at: datetime = tz_column()
    minutes: int
    quantity: int
    worker_name: str
    content: str
    confirmed_by: str | None = None  # recipient / village_assistant
    confirmed_at: datetime | None = tz_column(nullable=True)
    recorded_by: UUID
    recorded_at: datetime = tz_column()


class Archive(SQLModel, table=True):
    __tablename__ = "archives"
    case_id: UUID = Field(primary_key=True, foreign_key="cases.id")
    provider_id: UUID = Field(foreign_key="providers.id")
    service_no: str = Field(unique=True)
    created_by: UUID
    created_at: datetime = tz_column()


class ArchiveDocument(SQLModel, table=True):
    __tablename__ = "archive_documents"
    case_id: UUID = Field(primary_key=True, foreign_key="cases.id")
    kind: str = Field(primary_key=True)
    # The checklist entry's current version; every earlier version stays in `documents`.
    file_id: UUID | None = Field(default=None, foreign_key="documents.id")
    missing_reason: str | None = None
    updated_at: datetime = tz_column()


class Closure(SQLModel, table=True):
    """How a case ended: refusal, withdrawal, no provider, or services stopped (with the hearing)."""

    __tablename__ = "closures"
    case_id: UUID = Field(primary_key=True, foreign_key="cases.id")
    outcome: str
    reason: str
    hearing_record: str | None = None
    effective_on: date | None = None
    decided_by: UUID
    decided_at: datetime = tz_column()


class DynamicReview(SQLModel, table=True):
    __tablename__ = "dynamic_reviews"
    case_id: UUID = Field(primary_key=True, foreign_key="cases.id")
    period: str = Field(primary_key=True, max_length=7)
    still_eligible: bool
    category: str
    reviewed_at: datetime = tz_column()


# Typed handles for SQL expressions; the classes above are for whole rows.
MATERIALS_REQUESTS = table_of(MaterialsRequest)
SURVEYS = table_of(Survey)
REFERRALS = table_of(Referral)
SERVICE_RECORDS = table_of(ServiceRecord)
ARCHIVES = table_of(Archive)
ARCHIVE_DOCUMENTS = table_of(ArchiveDocument)
DYNAMIC_REVIEWS = table_of(DynamicReview)
