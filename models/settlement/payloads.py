"""Settlement payloads: what the monthly run and the statement workflows carry, and their activities' inputs.

Pure pydantic over the standard library and `models.payloads`, so workflow modules can import it inside the
sandbox. Payloads carry ids, codes and periods; amounts and lines stay in PostgreSQL.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Generic
from uuid import UUID

from pydantic import Field, StringConstraints

from models.payloads import Actor, FormT, Payload, Text

Period = Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
CountyCode = Annotated[str, StringConstraints(pattern=r"^\d{6}$")]
# A purchaser (服务购买主体, 001 三(三)) is a county (6 digits) or a township / street (9 digits).
PurchaserCode = Annotated[str, StringConstraints(pattern=r"^\d{6}(\d{3})?$")]


class FundingSource(StrEnum):
    """The funding sources of 001 三(四)."""

    TEKUN_CARE = "tekun_care"
    TEMPORARY_ASSISTANCE = "temporary_assistance"
    # Capped: at most 1% of the locally pooled assistance funds (001 三(四)3).
    WORK_FUNDS = "assistance_work_funds"
    HOME_ELDERLY_CARE = "home_elderly_care"
    DISABILITY_REHABILITATION = "disability_rehabilitation"
    MINOR_PROTECTION = "minor_protection"
    OTHER_SERVICE_ASSISTANCE = "other_service_assistance"
    CHARITY = "charity"


FUNDING_SOURCE_ZH: dict[str, str] = {
    FundingSource.TEKUN_CARE: "特困人员照料护理经费",
    FundingSource.TEMPORARY_ASSISTANCE: "临时救助经费",
    FundingSource.WORK_FUNDS: "社会救助工作经费或社会救助专项经费",
    FundingSource.HOME_ELDERLY_CARE: "居家养老服务经费",
    FundingSource.DISABILITY_REHABILITATION: "残疾人康复服务经费",
    FundingSource.MINOR_PROTECTION: "未成年人保护经费",
    FundingSource.OTHER_SERVICE_ASSISTANCE: "其他服务类救助经费",
    FundingSource.CHARITY: "慈善救助资金",
}


class AgreementStatus(StrEnum):
    """A government purchase of services goes 立项 → 实施 → 验收 (000 二(六))."""

    INITIATED = "initiated"  # 立项
    IMPLEMENTING = "implementing"  # 实施
    ACCEPTED = "accepted"  # 验收


AGREEMENT_STATUS_ZH: dict[str, str] = {
    AgreementStatus.INITIATED: "立项", AgreementStatus.IMPLEMENTING: "实施", AgreementStatus.ACCEPTED: "验收",
}


class StatementStatus(StrEnum):
    DRAFT = "draft"  # 待审批
    RETURNED = "returned"  # 已退回，待重新结算
    APPROVED = "approved"  # 已审批，锁定
    PAID = "paid"  # 已支付


STATEMENT_STATUS_ZH: dict[str, str] = {
    StatementStatus.DRAFT: "待审批", StatementStatus.RETURNED: "已退回",
    StatementStatus.APPROVED: "已审批", StatementStatus.PAID: "已支付",
}
LOCKED: frozenset[StatementStatus] = frozenset({StatementStatus.APPROVED, StatementStatus.PAID})


class FundCheckStatus(StrEnum):
    WITHIN = "within"  # 未超过1%
    OVER = "over"  # 超过1%
    UNCONFIGURED = "unconfigured"  # 未登记本年度统筹救助资金总额


class FileKind(StrEnum):
    XLSX = "xlsx"
    CSV = "csv"


# ---- the monthly run ------------------------------------------------------------------------------------


class TickStart(Payload):
    """The schedule's fixed argument: the period comes from the nominal (scheduled) time of each firing."""


class SettlementStart(Payload):
    period: Period
    # None: every county with a service list (the scheduled run); a code: one county (an officer's re-run).
    county_code: CountyCode | None = None
    # Records confirmed after the cutoff wait for the next period. The first run of a county x period fixes it
    # (the schedule's nominal time, or the moment of a manual run); re-runs keep it, so they compute the same.
    cutoff: datetime | None = None


class RunRequest(Payload):
    period: Period
    county_code: CountyCode | None
    cutoff: datetime
    workflow_id: str


class CountyRun(Payload):
    county_code: CountyCode
    cutoff: datetime


class RunOpened(Payload):
    period: Period
    counties: list[CountyRun]


class CountyInput(Payload):
    period: Period
    county_code: CountyCode
    cutoff: datetime


class StatementRef(Payload):
    statement_id: UUID
    period: Period
    county_code: CountyCode
    purchaser_code: PurchaserCode
    status: StatementStatus
    version: int


class CountyComputed(Payload):
    county_code: CountyCode
    statements: list[StatementRef]
    exceptions: int
    fund_check: FundCheckStatus


class RunFinished(Payload):
    period: Period
    counties: list[CountyCode]
    workflow_id: str


class RunSummary(Payload):
    period: Period
    counties: int
    statements: int
    drafts: int
    exceptions: int


# ---- one statement's review -----------------------------------------------------------------------------


class StatementStart(Payload):
    statement_id: UUID
    period: Period
    county_code: CountyCode
    purchaser_code: PurchaserCode


class ApproveForm(Payload):
    # The version the approver read: a statement recomputed since is refused, never approved unseen.
    version: int = Field(ge=1)
    note: Text | None = None


class ReturnStatementForm(Payload):
    version: int = Field(ge=1)
    reason: Text


class PaymentForm(Payload):
    voucher_no: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
    paid_on: date


class StatementAct(Payload, Generic[FormT]):
    """An accepted update, as its activity writes it; `update_id` keys the audit row."""

    statement_id: UUID
    actor: Actor
    form: FormT
    at: datetime
    update_id: str


class FileRef(Payload):
    kind: FileKind
    filename: str
    sha256: str
    size: int


class StatementOutcome(Payload):
    statement_id: UUID
    status: StatementStatus
    version: int
    files: list[FileRef] = Field(default_factory=list)


class StatementState(Payload):
    statement_id: UUID
    status: StatementStatus
    version: int | None = None
    files: list[FileRef] = Field(default_factory=list)
