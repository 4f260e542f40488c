"""社工志愿服务: what the village team sends and reads (models/modes/team.py)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from pydantic import Field

from models.modes.linkage_schemas import Name, Text
from models.schemas import Out, Schema
from vocabulary.modes_linkage import TeamRole, TeamService


class TeamMember(Schema):
    role: TeamRole
    name: Name


class TeamPlanIn(Schema):
    case_id: UUID
    team_name: Name
    members: Annotated[list[TeamMember], Field(min_length=1, max_length=20)]
    assessment: Text  # 精准评估
    plan: Text
    supersedes: UUID | None = None  # the current plan this version replaces


class TeamServiceIn(Schema):
    served_on: date
    worker_role: TeamRole
    worker_name: Name
    kind: TeamService
    content: Text
    hours: Annotated[Decimal, Field(max_digits=5, decimal_places=1)]


class TeamServiceOut(Out):
    id: UUID
    served_on: date
    worker_role: str
    worker_role_zh: str
    worker_name: str
    kind: str
    kind_zh: str
    content: str
    hours: Decimal


class TeamPlanOut(Out):
    id: UUID
    case_id: UUID
    first_id: UUID
    version: int
    village_code: str
    team_name: str
    members: list[TeamMember]
    missing_roles: list[str]  # the roles of 协理员 + 社工 + 志愿者 the team lacks
    assessment: str
    plan: str
    status: str
    status_zh: str
    created_at: datetime
    superseded_at: datetime | None
    services: int
    hours: Decimal
    records: list[TeamServiceOut] | None = None  # on the detail only


class HouseholdPlans(Out):
    case_id: UUID
    current_id: UUID | None
    services: int
    hours: Decimal  # over every version
    plans: list[TeamPlanOut]  # newest first


class VillageHours(Out):
    village_code: str
    village_name: str | None
    households: int  # with a current plan
    services: int
    hours: Decimal
