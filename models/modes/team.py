"""社工志愿服务 (001 三(六)5): the village's "社会救助协理员 + 社会工作者 + 志愿者" team (红马夹) and its plan per
household (一户一档一个帮扶方案): one current plan per case, a new version supersedes it; and the services it gives,
with volunteer hours. A household's line of plans is one `case_modes` row (source: its first plan)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import Column, Index, Numeric, text
from sqlmodel import Field, SQLModel

from models.tables import json_column, table_of, tz_column


class TeamPlan(SQLModel, table=True):
    __tablename__ = "team_plans"
    __table_args__ = (
        Index("uq_team_plans_current", "case_id", unique=True, postgresql_where=text("status = 'current'")),
        Index("ix_team_plans_village", "village_code"),
    )
    id: UUID = Field(primary_key=True)
    case_id: UUID = Field(foreign_key="cases.id")
    first_id: UUID  # the household's first plan: the line of versions
    version: int
    county_code: str = Field(max_length=6)
    township_code: str = Field(max_length=9)
    village_code: str = Field(max_length=12)
    team_name: str = Field(max_length=80)
    members: list[dict[str, Any]] = json_column()  # [{"role": TeamRole, "name": ...}]
    assessment: str  # 精准评估
    plan: str  # the help planned
    status: str  # PlanStatus
    created_by: UUID
    created_at: datetime = tz_column()
    superseded_at: datetime | None = tz_column(nullable=True)


class TeamServiceRecord(SQLModel, table=True):
    __tablename__ = "team_services"
    __table_args__ = (
        Index("ix_team_services_plan", "plan_id"),
        Index("ix_team_services_village", "village_code", "served_on"),
    )
    id: UUID = Field(primary_key=True)
    plan_id: UUID = Field(foreign_key="team_plans.id")
    first_id: UUID
    case_id: UUID = Field(foreign_key="cases.id")
    village_code: str = Field(max_length=12)
    served_on: date
    worker_role: str  # TeamRole
    worker_name: str = Field(max_length=80)
    kind: str  # TeamService
    content: str
    hours: Decimal = Field(sa_column=Column(Numeric(5, 1), nullable=False))
    recorded_by: UUID
    recorded_at: datetime = tz_column()


TEAM_PLANS = table_of(TeamPlan)
TEAM_SERVICES = table_of(TeamServiceRecord)
