"""What the settlement workflows ask of the activities layer, called by reference (no activity is named by a
string). The bodies live in `activities/settlement/`, in classes that subclass this one."""

from __future__ import annotations

from uuid import UUID

from temporalio import activity

from models.payloads.case import DeadlinePlan
from models.settlement.payloads import (
    ApproveForm,
    CountyComputed,
    CountyInput,
    FileRef,
    PaymentForm,
    ReturnStatementForm,
    RunFinished,
    RunOpened,
    RunRequest,
    StatementAct,
    StatementDeadlineInput,
    StatementEscalateInput,
    StatementOutcome,
)

_NOT_HERE = "implemented in activities/settlement/"


class SettlementActivities:
    # ---- the monthly run ---------------------------------------------------------------------------------

    @activity.defn
    async def settlement_open_run(self, request: RunRequest) -> RunOpened:
        raise NotImplementedError(_NOT_HERE)

    @activity.defn
    async def settlement_compute_county(self, job: CountyInput) -> CountyComputed:
        raise NotImplementedError(_NOT_HERE)

    @activity.defn
    async def settlement_close_run(self, done: RunFinished) -> None:
        raise NotImplementedError(_NOT_HERE)

    # ---- one statement's review (the updates' writes are local activities) ------------------------------

    @activity.defn
    async def statement_approve(self, act: StatementAct[ApproveForm]) -> StatementOutcome:
        raise NotImplementedError(_NOT_HERE)

    @activity.defn
    async def statement_return(self, act: StatementAct[ReturnStatementForm]) -> StatementOutcome:
        raise NotImplementedError(_NOT_HERE)

    @activity.defn
    async def statement_mark_paid(self, act: StatementAct[PaymentForm]) -> StatementOutcome:
        raise NotImplementedError(_NOT_HERE)

    @activity.defn
    async def statement_export(self, statement_id: UUID) -> list[FileRef]:
        raise NotImplementedError(_NOT_HERE)

    @activity.defn
    async def statement_deadline(self, job: StatementDeadlineInput) -> DeadlinePlan | None:
        raise NotImplementedError(_NOT_HERE)

    @activity.defn
    async def statement_escalate(self, job: StatementEscalateInput) -> None:
        raise NotImplementedError(_NOT_HERE)
