"""慈善救济服务: what the county officer sends and reads (models/modes/charity.py)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from pydantic import Field

from models.modes.linkage_schemas import Line, Name, Text
from models.schemas import Out, Schema
from vocabulary.modes_linkage import CharityKind


class OrganisationIn(Schema):
    name: Name


class OrganisationChange(Schema):
    active: bool


class OrganisationOut(Out):
    id: UUID
    county_code: str
    name: str
    active: bool


class CharityReferralIn(Schema):
    organisation_id: UUID
    case_ids: Annotated[list[UUID], Field(min_length=1, max_length=200)]
    note: Line | None = None


class DeliveryIn(Schema):
    case_id: UUID
    delivered_on: date
    kind: CharityKind
    content: Text
    goods_value: Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)] | None = None  # 元
    volunteer_hours: Annotated[Decimal, Field(max_digits=6, decimal_places=1)] | None = None


class CharityReportIn(Schema):
    service_plan: Text  # the content the organisation decided (具体服务方案)
    summary: Text


class DeliveryOut(Out):
    id: UUID
    case_id: UUID
    delivered_on: date
    kind: str
    kind_zh: str
    content: str
    goods_value: Decimal | None
    volunteer_hours: Decimal | None


class CharityLineOut(Out):
    case_id: UUID
    person_name: str
    village_code: str
    deliveries: int


class CharityReferralOut(Out):
    id: UUID
    county_code: str
    organisation_id: UUID
    organisation_name: str
    note: str | None
    status: str
    status_zh: str
    service_plan: str | None
    summary: str | None
    referred_at: datetime
    reported_at: datetime | None
    recipients: int
    deliveries: int
    goods_value: Decimal
    volunteer_hours: Decimal
    lines: list[CharityLineOut] | None = None  # on the detail only
    records: list[DeliveryOut] | None = None
