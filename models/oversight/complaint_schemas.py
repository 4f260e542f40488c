"""Oversight API schemas, continued: complaints and work orders, satisfaction visits, evaluations, settings."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field, StringConstraints, model_validator

from models.oversight.schemas import ShortText, Text, Township
from models.schemas import Out, Schema
from vocabulary.oversight import (
    ComplaintCategory,
    ComplaintChannel,
    ComplaintStatus,
    FollowUp,
    Handler,
    Satisfaction,
    VisitStatus,
)

Period = Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]


class ComplaintIn(Schema):
    channel: ComplaintChannel
    work_order_no: Annotated[str, StringConstraints(strip_whitespace=True, min_length=4, max_length=40)] | None = None
    category: ComplaintCategory
    content: Text
    anonymous: bool = False
    confidential: bool = False
    complainant_name: ShortText | None = None
    complainant_contact: ShortText | None = None
    case_id: UUID | None = None
    provider_id: UUID | None = None
    township_code: Township | None = None
    handler: Handler = Handler.TOWNSHIP

    @model_validator(mode="after")
    def _consistent(self) -> ComplaintIn:
        if self.channel is ComplaintChannel.HOTLINE and not self.work_order_no:
            raise ValueError("12345热线工单须填写工单编号")
        if self.anonymous and (self.complainant_name or self.complainant_contact):
            raise ValueError("匿名投诉不填写投诉人姓名和联系方式")
        return self


class ExtensionIn(Schema):
    working_days: int = Field(ge=1, le=20)
    reason: Text


class ReplyIn(Schema):
    reply: Text
    upheld: bool = Field(description="投诉是否查实")
    requirement: Text | None = Field(default=None, description="查实且涉及服务供给主体时的整改要求")


class ReturnVisitIn(Schema):
    satisfied: bool
    reasonable: bool = Field(default=False, description="不满意时，诉求是否合理（合理则发回重办一次）")
    note: Text | None = None


class ContactOut(Out):
    """A complainant's or objector's name and contact in full, read for a stated purpose (recorded)."""

    id: UUID
    name: str | None
    contact: str | None
    purpose: str


class ComplaintOut(Out):
    id: UUID
    complaint_no: str
    county_code: str
    township_code: str | None
    channel: ComplaintChannel
    work_order_no: str | None
    category: ComplaintCategory
    content: str
    anonymous: bool
    confidential: bool
    complainant_name: str | None
    complainant_contact: str | None
    case_id: UUID | None
    provider_id: UUID | None
    handler: Handler
    handler_code: str
    status: ComplaintStatus
    status_zh: str
    due_on: date | None = None
    accepted_at: datetime | None
    accepted_on_time: bool | None
    extended: bool
    reply: str | None
    upheld: bool | None
    replied_at: datetime | None
    resolved_on_time: bool | None
    redone: bool
    caller_satisfied: bool | None
    received_at: datetime
    closed_at: datetime | None


class VisitDrawIn(Schema):
    period: Period
    seed: Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z_-]{4,64}$")] | None = None


class VisitDrawOut(Out):
    id: UUID
    period: str
    seed: str
    percent: int
    population: int
    sampled: int
    drawn_at: datetime


class VisitIn(Schema):
    reached: bool
    result: Satisfaction | None = None
    comments: Text | None = None
    follow_up: FollowUp | None = None

    @model_validator(mode="after")
    def _result(self) -> VisitIn:
        if self.reached != (self.result is not None):
            raise ValueError("联系上服务对象时须填写满意度；未联系上时不填写")
        if self.follow_up and self.result is not Satisfaction.DISSATISFIED:
            raise ValueError("只有不满意时才转整改或投诉")
        return self


class VisitOut(Out):
    id: UUID
    period: str
    case_id: UUID
    provider_id: UUID
    village_code: str
    person_name: str | None = None
    status: VisitStatus
    attempts: int
    result: Satisfaction | None
    comments: str | None
    follow_up: FollowUp | None
    follow_up_id: UUID | None
    visited_at: datetime | None


class EvaluationIn(Schema):
    agreement_id: UUID


class EvaluationOut(Out):
    agreement_id: UUID
    provider_id: UUID
    period_start: date
    period_end: date
    metrics: dict[str, Any]
    weights: dict[str, int]
    score: Decimal | None
    computed_at: datetime


class SettingsIn(Schema):
    spot_check_target_percent: int | None = Field(default=None, ge=30, le=100)
    satisfaction_share_percent: int | None = Field(default=None, ge=1, le=100)
    inspectors_per_stratum: int | None = Field(default=None, ge=1, le=10)
    complaints_per_100_zero: int | None = Field(default=None, ge=1, le=100)
    urgent_care_days: int | None = Field(default=None, ge=1, le=90)
    weights: dict[str, Annotated[int, Field(ge=0, le=100)]] | None = None
