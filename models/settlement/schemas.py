"""API schemas of settlement: the service list and fee standards, purchase agreements, runs, statements."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from pydantic import Field, StringConstraints, model_validator

from models.schemas import Out, Schema
from models.settlement.payloads import Period
from vocabulary.case import Benefit
from vocabulary.settlement import AgreementStatus, FundingSource

Money = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
ItemCodeIn = Annotated[str, StringConstraints(pattern=r"^[a-z_]{2,32}$")]


class ServiceItemIn(Schema):
    code: ItemCodeIn
    category: Annotated[str, StringConstraints(pattern=r"^(care|living|wellbeing)$")]
    name: Label
    unit: Annotated[str, StringConstraints(pattern=r"^(visit|hour|meal|month)$")]
    government_funded: bool
    overlaps_benefits: list[Benefit] = Field(default_factory=list, max_length=3)


class ServiceItemPatch(Schema):
    """Only the fields sent change; none may be set to null (every column is required), so the schema does not
    allow null either: an omitted field keeps its value."""

    category: Annotated[str, StringConstraints(pattern=r"^(care|living|wellbeing)$")] = None  # type: ignore[assignment]
    name: Label = None  # type: ignore[assignment]
    unit: Annotated[str, StringConstraints(pattern=r"^(visit|hour|meal|month)$")] = None  # type: ignore[assignment]
    government_funded: bool = None  # type: ignore[assignment]
    overlaps_benefits: list[Benefit] = Field(default=None, max_length=3)  # type: ignore[arg-type]


class FeeIn(Schema):
    valid_from: date
    valid_to: date | None = None
    price: Money
    funding_source: FundingSource


class FeeOut(Out):
    item_code: str
    valid_from: date
    valid_to: date | None
    price: Decimal
    funding_source: str
    funding_source_zh: str


class ServiceItemDetail(Out):
    code: str
    category: str
    name: str
    unit: str
    unit_zh: str
    government_funded: bool
    overlaps_benefits: list[str]
    fees: list[FeeOut]


class AgreementItemIn(Schema):
    item_code: ItemCodeIn
    # The agreed price; empty settles at the fee standard. Never paid above the standard in force.
    price: Money | None = None


class AgreementIn(Schema):
    agreement_no: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9-]{3,40}$")]
    purchaser_code: Annotated[str, StringConstraints(pattern=r"^\d{6}(\d{3})?$")]
    provider_id: UUID
    title: Label
    starts_on: date
    ends_on: date
    items: list[AgreementItemIn] = Field(min_length=1, max_length=50)

    @model_validator(mode="after")
    def _valid(self) -> AgreementIn:
        if self.ends_on < self.starts_on:
            raise ValueError("协议期限的结束日期不能早于开始日期")
        if len({i.item_code for i in self.items}) != len(self.items):
            raise ValueError("每个服务事项只能出现一次")
        return self


class AgreementStatusIn(Schema):
    status: AgreementStatus


class AgreementItemOut(Out):
    item_code: str
    price: Decimal | None


class AgreementOut(Out):
    id: UUID
    agreement_no: str
    county_code: str
    purchaser_code: str
    provider_id: UUID
    title: str
    starts_on: date
    ends_on: date
    status: str
    status_zh: str
    items: list[AgreementItemOut]


class ProviderAccountIn(Schema):
    account_name: Label
    account_no: Annotated[str, StringConstraints(pattern=r"^\d{8,32}$")]
    bank_name: Label


class ProviderAccountOut(Out):
    provider_id: UUID
    account_name: str
    account_no: str
    bank_name: str
    updated_at: datetime


class CountyFundsIn(Schema):
    pooled_assistance_funds: Annotated[Decimal, Field(ge=0, max_digits=16, decimal_places=2)]


class CountyFundsOut(Out):
    county_code: str
    year: int
    pooled_assistance_funds: Decimal
    # 1% of the pooled funds: what work funds may pay for services this year (001 三(四)3).
    work_funds_cap: Decimal
    updated_at: datetime


class RunIn(Schema):
    period: Period


class BackfillIn(Schema):
    first: Period
    last: Period


class RunStarted(Out):
    period: str
    county_code: str | None
    workflow_id: str
    periods: list[str] = Field(default_factory=list)


class FundCheckOut(Out):
    status: str
    pooled: Decimal | None
    cap: Decimal | None
    used_before: Decimal
    used_this_period: Decimal
    used_total: Decimal
    share_percent: Decimal | None
    # The figure in words, as it is printed on the statement.
    text: str


class RunOut(Out):
    period: str
    county_code: str
    status: str  # not_run / running / finished
    cutoff_at: datetime | None
    runs: int
    last_started_at: datetime | None
    last_finished_at: datetime | None
    statements: int
    exceptions: int
    fund_check: FundCheckOut | None


class StatementOut(Out):
    id: UUID
    statement_no: str
    period: str
    county_code: str
    purchaser_code: str
    provider_id: UUID
    provider_name: str
    status: str
    status_zh: str
    version: int
    content_sha256: str | None
    record_count: int
    line_count: int
    paid_quantity: int
    flagged_quantity: int
    total_amount: Decimal
    government_amount: Decimal
    social_amount: Decimal
    adjustment_amount: Decimal
    clawback_amount: Decimal  # zero or negative: paid records taken back (追回)
    computed_at: datetime
    due_on: date | None
    approved_by: UUID | None
    approved_at: datetime | None
    returned_at: datetime | None
    return_reason: str | None
    paid_at: datetime | None
    paid_on: date | None
    voucher_no: str | None


class FundTotalOut(Out):
    funding_source: str
    funding_source_zh: str
    government_funded: bool
    amount: Decimal


class StatementFileOut(Out):
    kind: str
    filename: str
    sha256: str
    size: int


class StatementDetail(StatementOut):
    fund_totals: list[FundTotalOut]
    fund_check: FundCheckOut | None
    files: list[StatementFileOut]
    # Records on the statement that are not paid: duplicates and quantities over the plan.
    flagged: dict[str, int]


class StatementLineOut(Out):
    case_id: UUID
    service_no: str | None
    person_name: str
    village_code: str
    item_code: str
    item_name: str
    service_month: str
    kind: str  # regular 本月 / adjustment 补结 / clawback 追回 (negative quantity and amount)
    kind_zh: str
    unit_price: Decimal
    quantity: int
    flagged_quantity: int
    record_count: int
    amount: Decimal
    funding_source: str
    government_funded: bool


class StatementPage(Out):
    items: list[StatementOut]
    total: int
    limit: int
    offset: int


class SettlementExceptionOut(Out):
    record_id: UUID
    case_id: UUID
    provider_id: UUID
    item_code: str
    service_month: str
    reason: str
    reason_zh: str


class CaseStatementOut(Out):
    """A statement that covered one case: the case's own quantities and amount on it."""

    statement_id: UUID
    statement_no: str
    period: str
    status: str
    status_zh: str
    provider_id: UUID
    purchaser_code: str
    items: list[str]
    quantity: int
    flagged_quantity: int
    amount: Decimal
    adjustment: bool
