"""Mode 1's batch referral (池州方案 四(五)): the township gives one provider the list of recipients and their
service items in one act. Each case in the batch is referred through its own workflow (the REFER action); the
batch keeps which were referred and which were refused (with the Chinese reason), and the provider answers per
case (the RESPOND action): its answers are read from the referrals themselves."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import Field as PydanticField
from pydantic import field_validator
from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from models.payloads.base import Payload
from models.schemas import Out
from models.tables import table_of, tz_column


class ReferralBatch(SQLModel, table=True):
    __tablename__ = "referral_batches"
    __table_args__ = (UniqueConstraint("created_by", "request_key", name="uq_referral_batches_request"),)
    id: UUID = Field(primary_key=True)
    county_code: str = Field(max_length=6)
    township_code: str = Field(max_length=9)
    provider_id: UUID = Field(foreign_key="providers.id")
    created_by: UUID
    request_key: str | None = None
    fingerprint: str
    created_at: datetime = tz_column()
    done_at: datetime | None = tz_column(nullable=True)  # every case was tried (a retry finishes the rest)


class ReferralBatchCase(SQLModel, table=True):
    __tablename__ = "referral_batch_cases"
    batch_id: UUID = Field(primary_key=True, foreign_key="referral_batches.id")
    position: int = Field(primary_key=True)
    # Not a foreign key: a case id the township could not see (or that does not exist) is kept as given.
    case_id: UUID
    referred: bool | None = None  # None: not tried yet
    referral_seq: int | None = None  # the case's REFER step: the provider's answer is on that referral
    refusal_code: str | None = None
    refusal_message: str | None = None


REFERRAL_BATCHES = table_of(ReferralBatch)
REFERRAL_BATCH_CASES = table_of(ReferralBatchCase)


class BatchForm(Payload):
    provider_id: UUID
    case_ids: list[UUID] = PydanticField(min_length=1, max_length=100)

    @field_validator("case_ids")
    @classmethod
    def _once(cls, ids: list[UUID]) -> list[UUID]:
        if len(set(ids)) != len(ids):
            raise ValueError("each case appears once in a batch")
        return ids


class BatchItem(Out):
    item_code: str
    name: str
    quantity_per_month: int


class BatchCaseOut(Out):
    case_id: UUID
    referred: bool
    refusal_code: str | None = None
    refusal_message: str | None = None
    # Only for a referred case (the asker may see it): the recipient, the purchase items, the provider's answer.
    person_name: str | None = None
    village_code: str | None = None
    items: list[BatchItem] = PydanticField(default_factory=list)
    answer: str | None = None  # pending | accepted | declined
    answer_name: str | None = None
    answer_reason: str | None = None
    answered_at: datetime | None = None


class BatchOut(Out):
    id: UUID
    provider_id: UUID
    provider_name: str
    township_code: str
    created_at: datetime
    referred: int
    refused: int
    accepted: int
    declined: int
    cases: list[BatchCaseOut]


class BatchSummary(Out):
    id: UUID
    provider_id: UUID
    provider_name: str
    created_at: datetime
    on: date
    cases: int
    referred: int
    pending: int
