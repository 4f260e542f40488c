"""慈善救济服务 (001 三(六)7): the county's charity organisations, its referrals of a list of recipients to one,
and what the organisation reports it delivered (visits, donated goods with their value, volunteer service). No
public money; recorded all the same (the county officer records the report when the organisation has no user).
Each recipient on a referral is one `case_modes` row (source: the referral's line)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from sqlalchemy import Column, Index, Numeric, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.tables import table_of, tz_column


class CharityOrganisation(SQLModel, table=True):
    __tablename__ = "charity_organisations"
    __table_args__ = (UniqueConstraint("county_code", "name", name="uq_charity_organisations_name"),)
    id: UUID = Field(primary_key=True)
    county_code: str = Field(max_length=6)
    name: str = Field(max_length=80)
    active: bool = True
    created_by: UUID
    created_at: datetime = tz_column()


class CharityReferral(SQLModel, table=True):
    __tablename__ = "charity_referrals"
    __table_args__ = (Index("ix_charity_referrals_county", "county_code", "referred_at"),)
    id: UUID = Field(primary_key=True)
    county_code: str = Field(max_length=6)
    organisation_id: UUID = Field(foreign_key="charity_organisations.id")
    note: str | None = None
    status: str  # CharityStatus
    service_plan: str | None = None  # the organisation decides the content (制定具体服务方案)
    summary: str | None = None
    referred_by: UUID
    referred_at: datetime = tz_column()
    reported_at: datetime | None = tz_column(nullable=True)
    reported_by: UUID | None = None


class CharityLine(SQLModel, table=True):
    """One recipient on a referral's list."""

    __tablename__ = "charity_lines"
    __table_args__ = (
        UniqueConstraint("referral_id", "case_id", name="uq_charity_lines_case"),
        Index("ix_charity_lines_case", "case_id"),
    )
    id: UUID = Field(primary_key=True)
    referral_id: UUID = Field(foreign_key="charity_referrals.id")
    case_id: UUID = Field(foreign_key="cases.id")
    township_code: str = Field(max_length=9)


class CharityDelivery(SQLModel, table=True):
    __tablename__ = "charity_deliveries"
    __table_args__ = (Index("ix_charity_deliveries_referral", "referral_id"),)
    id: UUID = Field(primary_key=True)
    referral_id: UUID = Field(foreign_key="charity_referrals.id")
    line_id: UUID = Field(foreign_key="charity_lines.id")
    delivered_on: date
    kind: str  # CharityKind
    content: str
    goods_value: Decimal | None = Field(default=None, sa_column=Column(Numeric(12, 2), nullable=True))
    volunteer_hours: Decimal | None = Field(default=None, sa_column=Column(Numeric(6, 1), nullable=True))
    recorded_by: UUID
    recorded_at: datetime = tz_column()


CHARITY_ORGANISATIONS = table_of(CharityOrganisation)
CHARITY_REFERRALS = table_of(CharityReferral)
CHARITY_LINES = table_of(CharityLine)
CHARITY_DELIVERIES = table_of(CharityDelivery)
