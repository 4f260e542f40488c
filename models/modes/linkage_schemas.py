"""部门联动服务: what the county officer sends and reads (models/modes/linkage.py)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import StringConstraints

from models.schemas import Out, Schema
from vocabulary.modes_linkage import UnitAction

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class UnitIn(Schema):
    name: Name
    services: Line | None = None


class UnitChange(Schema):
    services: Line | None = None
    active: bool | None = None


class UnitOut(Out):
    id: UUID
    county_code: str
    name: str
    services: str | None
    active: bool


class DepartmentReferralIn(Schema):
    case_id: UUID
    unit_id: UUID
    action: UnitAction
    need: Line


class AcknowledgementIn(Schema):
    note: Line | None = None


class OutcomeIn(Schema):
    acted_on: date
    outcome: Text


class DepartmentReferralOut(Out):
    id: UUID
    case_id: UUID
    county_code: str
    township_code: str
    unit_id: UUID
    unit_name: str
    action: str
    action_zh: str
    need: str
    status: str
    status_zh: str
    due_on: date
    overdue: bool
    referred_at: datetime
    acknowledged_at: datetime | None
    acknowledgement: str | None
    acted_on: date | None
    outcome: str | None
    reported_at: datetime | None
    reported_on_time: bool | None
