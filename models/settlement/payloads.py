"""Settlement payloads: what the monthly run and the statement workflows carry, and their activities' inputs.

Pure pydantic over the standard library, `vocabulary` and `models.payloads`, so workflow modules can import it
inside the sandbox. Payloads carry ids, codes and periods; amounts and lines stay in PostgreSQL.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Generic
from uuid import UUID

from pydantic import Field, StringConstraints

from models.payloads.actor import Actor, FormT
from models.payloads.base import Payload, Text
from models.payloads.case import DeadlinePlan
from vocabulary.case import Rung
from vocabulary.settlement import FileKind, FundCheckStatus, StatementStatus

# Years 2000-2099: a settlement period before or after that is a typo, and year 0 breaks date arithmetic.
Period = Annotated[str, StringConstraints(pattern=r"^20\d{2}-(0[1-9]|1[0-2])$")]
CountyCode = Annotated[str, StringConstraints(pattern=r"^\d{6}$")]
# A purchaser (服务购买主体, 001 三(三)) is a county (6 digits) or a township / street (9 digits).
PurchaserCode = Annotated[str, StringConstraints(pattern=r"^\d{6}(\d{3})?$")]


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


class StatementDeadlineInput(Payload):
    statement_id: UUID
    at: datetime


class StatementEscalateInput(Payload):
    statement_id: UUID
    deadline: DeadlinePlan
    rung: Rung
    at: datetime
