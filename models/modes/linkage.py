"""部门联动服务 (001 三(六)3): the county's list of member units of the assistance coordination mechanism (社会救助
联席会议成员单位) and its referrals of a recipient's need to one of them. A unit is rarely a user of the system:
the county officer records its acknowledgement and outcome on its behalf. Each referral runs under a working-day
deadline (a task of kind department_referral, with the escalation ladder) and is one `case_modes` row."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.tables import table_of, tz_column


class LinkageUnit(SQLModel, table=True):
    __tablename__ = "linkage_units"
    __table_args__ = (UniqueConstraint("county_code", "name", name="uq_linkage_units_name"),)
    id: UUID = Field(primary_key=True)
    county_code: str = Field(max_length=6)
    name: str = Field(max_length=80)  # 县人社局, 县卫健委 ...
    services: str | None = Field(default=None, max_length=200)  # what it offers, as the county describes it
    active: bool = True
    created_by: UUID
    created_at: datetime = tz_column()


class DepartmentReferral(SQLModel, table=True):
    __tablename__ = "department_referrals"
    __table_args__ = (
        Index("ix_department_referrals_county", "county_code", "status"),
        Index("ix_department_referrals_case", "case_id"),
    )
    id: UUID = Field(primary_key=True)
    case_id: UUID = Field(foreign_key="cases.id")
    county_code: str = Field(max_length=6)
    township_code: str = Field(max_length=9)
    unit_id: UUID = Field(foreign_key="linkage_units.id")
    action: str  # UnitAction
    need: str  # the need referred, in a line (never an illness's detail)
    status: str  # ReferralStatus
    due_on: date
    referred_by: UUID
    referred_at: datetime = tz_column()
    acknowledged_at: datetime | None = tz_column(nullable=True)
    acknowledgement: str | None = None
    acted_on: date | None = None
    outcome: str | None = None
    reported_at: datetime | None = tz_column(nullable=True)
    reported_on_time: bool | None = None
    recorded_by: UUID | None = None  # who recorded the unit's answers (the county officer on its behalf)


LINKAGE_UNITS = table_of(LinkageUnit)
DEPARTMENT_REFERRALS = table_of(DepartmentReferral)
