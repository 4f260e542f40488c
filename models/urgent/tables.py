"""One urgent care per case: why, the provider under an agreement, the items of short-term care, when it
started and the last day the county's cap allows; `ended_on` when it ended earlier (a refusal at review, the
case closed). Records are accepted and paid for the days from `started_on` to the care's end (activities/urgent)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from models.tables import json_column, table_of, tz_column


class UrgentCare(SQLModel, table=True):
    __tablename__ = "urgent_cares"
    __table_args__ = (Index("ix_urgent_cares_county", "county_code", "provider_id"),)
    case_id: UUID = Field(primary_key=True, foreign_key="cases.id")
    county_code: str = Field(max_length=6)
    reason: str  # UrgentReason
    details: str
    provider_id: UUID = Field(foreign_key="providers.id")
    items: list[dict[str, Any]] = json_column()  # [{item_code, quantity_per_month}]
    requested_by: UUID
    requested_at: datetime = tz_column()
    confirmed_by: UUID | None = None
    confirmed_at: datetime | None = tz_column(nullable=True)
    started_on: date | None = None  # the day of confirmation: care may be recorded from this day
    last_day: date | None = None  # started_on + the county's cap - 1
    ended_on: date | None = None  # ended earlier than the cap (inclusive: records of this day are paid)
    end_reason: str | None = None  # UrgentEnd


URGENT_CARES = table_of(UrgentCare)
