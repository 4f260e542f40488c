"""What the API accepts and returns about neighbour help (邻里互助服务) and its yearly settlement."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from pydantic import Field, StringConstraints

from models.schemas import Name, Out, Schema
from vocabulary.neighbour import RateBasis

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=500)]
Year = Annotated[int, Field(ge=2000, le=2100)]


class HelperIn(Schema):
    name: Name
    village_code: Annotated[str, StringConstraints(pattern=r"^\d{12}$")]
    trained_on: date
    certificate_no: Text
    account_name: Name
    account_no: Annotated[str, StringConstraints(pattern=r"^\d{8,32}$")]
    bank_name: Text


class HelperOut(Out):
    id: UUID
    township_code: str
    village_code: str
    name: str
    trained_on: date
    certificate_no: str
    account_name: str
    account_masked: str  # ****1234: the full number is never shown
    bank_name: str
    created_at: datetime


class PairingIn(Schema):
    case_id: UUID
    content: Text
    started_on: date


class PairingEndIn(Schema):
    ended_on: date
    reason: Reason


class PairingOut(Out):
    id: UUID
    helper_id: UUID
    helper_name: str
    case_id: UUID
    person_name: str
    village_code: str
    content: str
    started_on: date
    ended_on: date | None
    end_reason: str | None


class RecordIn(Schema):
    served_on: date
    content: Text
    count: Annotated[int, Field(ge=1, le=100)] = 1
    minutes: Annotated[int | None, Field(ge=1, le=24 * 60)] = None


class RecordReviewIn(Schema):
    approve: bool
    reason: Reason | None = None


class RecordOut(Out):
    id: UUID
    pairing_id: UUID
    helper_id: UUID
    helper_name: str
    case_id: UUID
    person_name: str
    village_code: str
    served_on: date
    content: str
    count: int
    minutes: int | None
    status: str
    status_zh: str
    reject_reason: str | None
    statement_id: UUID | None  # the yearly statement that settled it, once settled


class RateIn(Schema):
    valid_from: date
    valid_to: date | None = None
    basis: RateBasis
    amount: Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]


class RateOut(Out):
    county_code: str
    valid_from: date
    valid_to: date | None
    basis: str
    basis_zh: str
    amount: Decimal


class YearRunIn(Schema):
    year: Year


class YearRunOut(Out):
    year: int
    statements: list[UUID]
    locked: list[UUID]  # approved statements the run left as they are
    unrated: int  # approved records with no standard in force on their date: left for a later run


class YearLineOut(Out):
    helper_id: UUID
    helper_name: str
    village_code: str
    service_year: int
    kind: str
    kind_zh: str
    basis: str
    basis_zh: str
    unit_amount: Decimal
    quantity: int
    record_count: int
    amount: Decimal


class YearFileOut(Out):
    kind: str
    filename: str
    sha256: str
    size: int


class YearStatementOut(Out):
    id: UUID
    statement_no: str
    year: int
    county_code: str
    township_code: str
    status: str
    status_zh: str
    version: int
    content_sha256: str | None
    helper_count: int
    record_count: int
    total_amount: Decimal
    adjustment_amount: Decimal
    computed_at: datetime
    due_on: date | None
    return_reason: str | None
    paid_on: date | None
    voucher_no: str | None


class YearStatementDetail(YearStatementOut):
    lines: list[YearLineOut]
    files: list[YearFileOut]


class YearApproveIn(Schema):
    version: Annotated[int, Field(ge=0)]


class YearReturnIn(Schema):
    version: Annotated[int, Field(ge=0)]
    reason: Reason


class YearPaymentIn(Schema):
    paid_on: date
    voucher_no: Text
