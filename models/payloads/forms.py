"""One form per person's action on a case: the API's request body and the workflow update's input alike, so the
edge and the workflow validate with the same model (workflows/process.py names which form each action takes)."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import Field, StringConstraints, model_validator

from models.payloads.base import DivisionCode, ItemCode, Payload, Text
from vocabulary.case import (
    Benefit,
    Channel,
    DifficultyDegree,
    Dimension,
    DocumentKind,
    NeedCategory,
    ReviewDecision,
    SurveyorRole,
)
from vocabulary.modes import ServiceMode


class OpenForm(Payload):
    person_id: UUID
    village_code: DivisionCode
    channel: Channel
    need_description: Text


class RegisterForm(Payload):
    need_category: NeedCategory
    note: Text | None = None


class ReturnForm(Payload):
    missing: list[Text] = Field(min_length=1, max_length=20)


class ResubmitForm(Payload):
    note: Text | None = None


class Surveyor(Payload):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=40)]
    role: SurveyorRole


class Assessment(Payload):
    dimension: Dimension
    # 0 = no difficulty … 4 = severe difficulty.
    score: int = Field(ge=0, le=4)
    note: Text | None = None


class SurveyForm(Payload):
    visited_on: date
    surveyors: list[Surveyor] = Field(min_length=2, max_length=2)
    identity_checked: bool
    signed_by_both: bool
    assessments: list[Assessment] = Field(min_length=7, max_length=7)
    own_requests: Text
    existing_benefits: list[Benefit] = Field(default_factory=list, max_length=3)

    @model_validator(mode="after")
    def _complete(self) -> SurveyForm:
        if {a.dimension for a in self.assessments} != set(Dimension):
            raise ValueError("needs assessment must cover each of the seven dimensions exactly once")
        if {s.role for s in self.surveyors} != set(SurveyorRole):
            raise ValueError("the survey team is one village staff member and one assistant")
        if not (self.identity_checked and self.signed_by_both):
            raise ValueError("a survey is recorded only after the identity check, signed by both surveyors")
        if self.surveyors[0].name == self.surveyors[1].name:
            raise ValueError("the two surveyors must be different people")
        return self


class ItemQuantity(Payload):
    item_code: ItemCode
    quantity_per_month: int = Field(ge=1, le=400)


class ApprovedQuantity(ItemQuantity):
    """An approved item and the mode that delivers it (池州方案 三(六)). Only 政府购买服务 items go to a provider
    by referral and plan; the default keeps reviews written before modes existed (and their histories) valid."""

    mode: ServiceMode = ServiceMode.PURCHASE


class ReviewForm(Payload):
    decision: ReviewDecision
    reasons: Text
    difficulty_type: Text | None = None
    difficulty_degree: DifficultyDegree | None = None
    items: list[ApprovedQuantity] = Field(default_factory=list, max_length=14)

    @model_validator(mode="after")
    def _approval_complete(self) -> ReviewForm:
        if self.decision is ReviewDecision.APPROVE:
            if not self.items or self.difficulty_type is None or self.difficulty_degree is None:
                raise ValueError("an approval names the difficulty type, degree and at least one item")
            if len({i.item_code for i in self.items}) != len(self.items):
                raise ValueError("each service item appears once")
        elif self.items:
            raise ValueError("a refusal approves no service items")
        return self


class ReferForm(Payload):
    provider_id: UUID


class RespondForm(Payload):
    accept: bool
    reason: Text | None = None

    @model_validator(mode="after")
    def _reason_for_decline(self) -> RespondForm:
        if not self.accept and self.reason is None:
            raise ValueError("a provider that declines says why")
        return self


class PlanForm(Payload):
    starts_on: date
    summary: Text
    items: list[ItemQuantity] = Field(min_length=1, max_length=14)


class ArchiveDocument(Payload):
    kind: DocumentKind
    file_id: UUID | None = None
    missing_reason: Text | None = None

    @model_validator(mode="after")
    def _file_or_reason(self) -> ArchiveDocument:
        if (self.file_id is None) == (self.missing_reason is None):
            raise ValueError("each document is either an uploaded file or marked missing with a reason")
        return self


class ArchiveForm(Payload):
    documents: list[ArchiveDocument] = Field(min_length=len(DocumentKind), max_length=len(DocumentKind))

    @model_validator(mode="after")
    def _checklist(self) -> ArchiveForm:
        if {d.kind for d in self.documents} != set(DocumentKind):
            raise ValueError("the checklist covers every document kind exactly once")
        return self


class WithdrawForm(Payload):
    reason: Text


class CloseForm(Payload):
    reason: Text


class SuspendForm(Payload):
    """The case waits on the applicant (e.g. 补充材料): the deadline clock stops where it is."""

    reason: Text


class ResumeForm(Payload):
    note: Text | None = None


class ExtendForm(Payload):
    """Once per deadline, by a county officer, with a reason."""

    working_days: int = Field(ge=1, le=20)
    reason: Text


class ReassignForm(Payload):
    # None hands the case back to the township's queue (its worker was deactivated): any township worker of the
    # township may take it, and the supervisor's stuck view lists it as unassigned.
    assignee_id: UUID | None
    reason: Text | None = None


class RetryForm(Payload):
    note: Text | None = None
