"""Oversight API schemas: the notice and its objections, spot checks, rectifications. Complaints, visits,
evaluations and the overview are in complaint_schemas.py."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field, StringConstraints, model_validator

from models.schemas import Out, Schema
from vocabulary.oversight import (
    CheckMethod,
    CheckResult,
    DrawKind,
    ObjectionChannel,
    ObjectionResult,
    RectificationStatus,
)

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
Village = Annotated[str, StringConstraints(pattern=r"^\d{12}$")]
Township = Annotated[str, StringConstraints(pattern=r"^\d{9}$")]


class PublishIn(Schema):
    """One village, or every village of a township."""

    village_code: Village | None = None
    township_code: Township | None = None

    @model_validator(mode="after")
    def _one(self) -> PublishIn:
        if (self.village_code is None) == (self.township_code is None):
            raise ValueError("请填写村(社区)代码或乡镇(街道)代码之一")
        return self


class NoticeLine(Out):
    line_no: int
    name: str
    village: str
    items: list[str]
    starts_on: date


class PublicationOut(Out):
    id: UUID
    village_code: str
    seq: int
    published_on: date
    published_at: datetime
    content_sha256: str
    count: int
    added: list[dict[str, Any]]
    removed: list[dict[str, Any]]
    documents: dict[str, str]  # the files as published, in the document store (GET /documents/{id}/content)
    lines: list[NoticeLine] | None = None


class ObjectionIn(Schema):
    content: Text
    line_no: int | None = Field(default=None, ge=1, description="对公示名单中第几行提出异议（可不填）")
    anonymous: bool = False
    objector_name: ShortText | None = None
    objector_contact: ShortText | None = None
    channel: ObjectionChannel | None = None

    @model_validator(mode="after")
    def _anonymous(self) -> ObjectionIn:
        if self.anonymous and (self.objector_name or self.objector_contact):
            raise ValueError("匿名提出异议时不填写姓名和联系方式")
        return self


class ObjectionDecisionIn(Schema):
    result: ObjectionResult
    reasons: Text


class ObjectionOut(Out):
    id: UUID
    publication_id: UUID
    village_code: str
    township_code: str
    case_id: UUID | None
    channel: ObjectionChannel
    anonymous: bool
    objector_name: str | None
    objector_contact: str | None
    content: str
    received_at: datetime
    due_on: date | None = None
    result: ObjectionResult | None
    result_reasons: str | None
    decided_at: datetime | None
    follow_up_task_id: UUID | None = None


class InspectorIn(Schema):
    name: ShortText
    user_id: UUID | None = None
    township_code: Township | None = None
    provider_id: UUID | None = None


class InspectorOut(Out):
    id: UUID
    name: str
    user_id: UUID | None
    township_code: str | None
    provider_id: UUID | None
    active: bool


class DrawIn(Schema):
    year: int = Field(ge=2000, le=2100)
    kind: DrawKind = DrawKind.REGULAR
    percent: int | None = Field(default=None, ge=1, le=100, description="常规抽查的比例（%）；年末补充抽查不填")
    seed: Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z_-]{4,64}$")] | None = None

    @model_validator(mode="after")
    def _share(self) -> DrawIn:
        if (self.kind is DrawKind.REGULAR) != (self.percent is not None):
            raise ValueError("常规抽查须填写抽查比例；年末补充抽查按差额自动确定，不填比例")
        return self


class DrawOut(Out):
    id: UUID
    year: int
    seq: int
    kind: DrawKind
    seed: str
    percent: int | None
    as_of: datetime
    population: int
    population_digest: str
    sampled: int
    strata: list[dict[str, Any]]
    drawn_at: datetime


class CoverageOut(Out):
    county_code: str
    year: int
    total: int
    sampled: int
    checked: int
    target_percent: int
    target: int
    gap: int
    percent: float
    by_township: list[dict[str, Any]]


class CheckResultIn(Schema):
    method: CheckMethod
    result: CheckResult
    notes: Text | None = None
    requirement: Text | None = Field(default=None, description="质量问题或对象不满意时的整改要求")


class CheckOut(Out):
    record_id: UUID
    draw_id: UUID
    case_id: UUID
    # Whom the checker visits: the recipient's name and village (never the ID number).
    recipient_name: str
    village_code: str
    village_name: str
    provider_id: UUID
    township_code: str
    year: int
    inspector_id: UUID
    inspector_name: str | None = None
    item_code: str | None = None
    started_at: datetime | None = None
    method: CheckMethod | None
    result: CheckResult | None
    notes: str | None
    evidence: list[dict[str, Any]] | None = None  # documents in the store: {"document_id", "sha256"}
    checked_at: datetime | None
    rectification_id: UUID | None = None


class RectificationReportIn(Schema):
    report: Text


class RectificationVerifyIn(Schema):
    accepted: bool
    note: Text | None = None


class RectificationOut(Out):
    id: UUID
    provider_id: UUID
    township_code: str | None
    case_id: UUID | None
    source: str
    source_id: UUID
    requirement: str
    status: RectificationStatus
    due_on: date
    report: str | None
    submitted_at: datetime | None
    on_time: bool | None
    verified_at: datetime | None
    rounds: int
    opened_at: datetime
