"""One monthly statement's review (资金结算, step 8): the purchaser approves or returns it under its deadline, then
marks it paid. Why a small workflow per statement, and how it relates to the monthly run: workflows/settlement.py.

An approval names the version it approves, checked against the database under the statement's row lock, so a
review still open while a re-run changed the statement cannot approve unseen content.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

from models.payloads.actor import Actor, Command
from models.settlement.payloads import (
    ApproveForm,
    FileRef,
    PaymentForm,
    ReturnStatementForm,
    StatementAct,
    StatementDeadlineInput,
    StatementEscalateInput,
    StatementOutcome,
    StatementStart,
    StatementState,
)
from vocabulary.case import Role
from vocabulary.refusal import refuse
from vocabulary.settlement import LOCKED, StatementStatus
from workflows.settlement_activities import SettlementActivities

_LOCAL_RETRY = RetryPolicy(initial_interval=timedelta(milliseconds=200), maximum_attempts=6)
_RUN_RETRY = RetryPolicy(initial_interval=timedelta(seconds=1), maximum_interval=timedelta(minutes=1))
_DRAFT = StatementStatus.DRAFT


def statement_workflow_id(statement_id: Any) -> str:
    return f"statement-{statement_id}"


def approver_role(purchaser_code: str) -> Role:
    """A township's statements are decided by its township worker, a county's by its county officer."""
    return Role.COUNTY_OFFICER if len(purchaser_code) == 6 else Role.TOWNSHIP_WORKER


def check_approver(actor: Actor, purchaser_code: str) -> None:
    role = approver_role(purchaser_code)
    if actor.role is not role:
        raise refuse("wrong_role", f"此结算单应由购买主体的{role.zh}办理")
    if actor.jurisdiction != purchaser_code:
        raise refuse("out_of_jurisdiction", "该结算单不属于您所在的购买主体")


@workflow.defn
class StatementWorkflow:
    @workflow.init
    def __init__(self, start: StatementStart) -> None:
        self._start = start
        self._status = StatementStatus.DRAFT
        self._version: int | None = None
        self._files: list[FileRef] = []
        self._lock = asyncio.Lock()

    @workflow.run
    async def run(self, start: StatementStart) -> StatementState:
        await self._await_decision()
        if self._status in LOCKED:
            self._files = await workflow.execute_activity_method(
                SettlementActivities.statement_export, start.statement_id,
                start_to_close_timeout=timedelta(minutes=5), retry_policy=_RUN_RETRY,
            )
            await workflow.wait_condition(lambda: self._status is StatementStatus.PAID)
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self.state()

    async def _await_decision(self) -> None:
        """The approval step: the purchaser approves or returns the statement, and the review waits here,
        under its deadline (the county's settlement_approval rule, working days from the computation): each
        escalation rung fires once, unless the statement is decided first."""
        plan = await workflow.execute_activity_method(
            SettlementActivities.statement_deadline,
            StatementDeadlineInput(statement_id=self._start.statement_id, at=workflow.now()),
            start_to_close_timeout=timedelta(seconds=30), retry_policy=_RUN_RETRY,
        )
        for rung in sorted(plan.rungs, key=lambda r: r.at) if plan else []:
            if rung.at > workflow.now():
                try:
                    await workflow.wait_condition(lambda: self._status is not _DRAFT, timeout=rung.at - workflow.now())
                    return
                except TimeoutError:
                    pass
            if self._status is not _DRAFT:
                return
            assert plan is not None
            await workflow.execute_activity_method(
                SettlementActivities.statement_escalate,
                StatementEscalateInput(statement_id=self._start.statement_id, deadline=plan, rung=rung.rung,
                                       at=workflow.now()),
                start_to_close_timeout=timedelta(seconds=30), retry_policy=_RUN_RETRY,
            )
        await workflow.wait_condition(lambda: self._status is not _DRAFT)

    @workflow.query
    def state(self) -> StatementState:
        return StatementState(statement_id=self._start.statement_id, status=self._status, version=self._version,
                              files=self._files)

    @workflow.update
    async def approve(self, cmd: Command[ApproveForm]) -> StatementOutcome:
        async with self._lock:
            self._check_approve(cmd.actor)
            if self._status not in LOCKED:  # a second click finds it approved and writes nothing
                done = await self._act(SettlementActivities.statement_approve, cmd)
                self._status, self._version = done.status, done.version
        await workflow.wait_condition(lambda: bool(self._files))  # answered with the payment files
        return self._outcome()

    @approve.validator
    def _validate_approve(self, cmd: Command[ApproveForm]) -> None:
        self._check_approve(cmd.actor)

    @workflow.update
    async def return_statement(self, cmd: Command[ReturnStatementForm]) -> StatementOutcome:
        async with self._lock:
            self._check_return(cmd.actor)
            if self._status is _DRAFT:
                done = await self._act(SettlementActivities.statement_return, cmd)
                self._status, self._version = done.status, done.version
            return self._outcome()

    @return_statement.validator
    def _validate_return(self, cmd: Command[ReturnStatementForm]) -> None:
        self._check_return(cmd.actor)

    @workflow.update
    async def mark_paid(self, cmd: Command[PaymentForm]) -> StatementOutcome:
        async with self._lock:
            self._check_paid(cmd.actor)
            if self._status is not StatementStatus.PAID:
                done = await self._act(SettlementActivities.statement_mark_paid, cmd)
                self._status = done.status
            return self._outcome()

    @mark_paid.validator
    def _validate_paid(self, cmd: Command[PaymentForm]) -> None:
        self._check_paid(cmd.actor)

    # ---- the machinery -------------------------------------------------------------------------------

    def _check_approve(self, actor: Actor) -> None:
        check_approver(actor, self._start.purchaser_code)
        if self._status is StatementStatus.RETURNED:
            raise refuse("statement_returned", "结算单已退回，待重新结算后再审批")

    def _check_return(self, actor: Actor) -> None:
        check_approver(actor, self._start.purchaser_code)
        if self._status in LOCKED:
            raise refuse("statement_locked", "结算单已审批锁定，不能退回")

    def _check_paid(self, actor: Actor) -> None:
        check_approver(actor, self._start.purchaser_code)
        if self._status not in LOCKED:
            raise refuse("statement_not_approved", "结算单尚未审批，不能登记支付")
        if not self._files:
            raise refuse("files_pending", "支付文件正在生成，请稍后再登记支付")

    def _outcome(self) -> StatementOutcome:
        return StatementOutcome(statement_id=self._start.statement_id, status=self._status,
                                version=self._version or 0, files=self._files)

    async def _act(self, activity: Any, cmd: Command[Any]) -> StatementOutcome:
        info = workflow.current_update_info()
        assert info is not None, "called outside an update handler"
        act = StatementAct[Any](statement_id=self._start.statement_id, actor=cmd.actor, form=cmd.form,
                                at=workflow.now(), update_id=info.id)
        try:
            done: StatementOutcome = await workflow.execute_local_activity_method(
                activity, act,
                start_to_close_timeout=timedelta(seconds=10), retry_policy=_LOCAL_RETRY,
            )
            return done
        except ActivityError as err:
            cause = err.cause  # fail only this update; the statement stays where it was
            if isinstance(cause, ApplicationError) and cause.non_retryable:
                raise refuse(cause.type or "refused", cause.message) from None
            raise refuse("system_unavailable", "系统暂时无法保存，请稍后重试") from None
