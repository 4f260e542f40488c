"""Monthly settlement (资金结算, step 8): the schedule's tick, one run per period, one review per statement.

- `SettlementTickWorkflow` is what the Temporal Schedule starts (its ids carry the schedule's timestamp). It
  reads the nominal time of its firing (also for catch-up and backfill), works out the period (the month
  before, China time) and starts `settlement-{period}`: the workflow id is derived from the period, so a
  second firing, a backfill or a manual run of the same period joins or repeats the same idempotent run.
- `SettlementWorkflow` computes each county set-based in SQL (one activity per county, heartbeating; see
  activities/settlement_sql.py), never waking a case workflow, then starts a review for every draft statement.
  A county officer's re-run of their own county is `settlement-{period}-{county}`.
- `StatementWorkflow` is the township's human step on one statement: approve or return, then mark paid.

Why a small workflow per statement rather than updates on the period's run: each statement is its own
decision with its own approver (the purchasing township or county) and, with issue 3, its own due date and
escalation — one timer and one short history each, like a case step. The period's run finishes as soon as
its drafts exist, so a re-run is simply a new run of `settlement-{period}` and never has to coordinate with
approvals still pending for weeks; a returned statement ends its review, and the re-run that recomputes it
starts the next one. An approval names the version it approves, checked against the database under the
statement's row lock, so a review still open while a re-run changed the statement cannot approve unseen
content. A run holding every statement would also meet the limits of one workflow (10 updates in flight,
2,000 per run) in a busy county.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy, SearchAttributeKey
from temporalio.exceptions import ActivityError, ApplicationError, WorkflowAlreadyStartedError

from models.payloads import (
    Action,
    Actor,
    Command,
    StatementDeadlineInput,
    StatementEscalateInput,
    StepWritten,
)
from models.settlement.payloads import (
    LOCKED,
    ApproveForm,
    CountyComputed,
    CountyInput,
    FileRef,
    PaymentForm,
    ReturnStatementForm,
    RunFinished,
    RunOpened,
    RunRequest,
    RunSummary,
    SettlementStart,
    StatementAct,
    StatementOutcome,
    StatementRef,
    StatementStart,
    StatementState,
    StatementStatus,
    TickStart,
)
from workflows import periods
from workflows.steps import SPEC, Role, Step

# Set by Temporal on every workflow a schedule starts: the nominal time, also for catch-up and backfill.
SCHEDULED_AT = SearchAttributeKey.for_datetime("TemporalScheduledStartTime")
# The county deadline rule the approval's due date will come from (issue 3), like steps.py's deadline_rule.
APPROVAL_DEADLINE_RULE = SPEC[Step.SETTLEMENT].deadline_rule

_LOCAL_RETRY = RetryPolicy(initial_interval=timedelta(milliseconds=200), maximum_attempts=6)
_RUN_RETRY = RetryPolicy(initial_interval=timedelta(seconds=1), maximum_interval=timedelta(minutes=1))
_START_BATCH = 50
_DS = StatementStatus.DRAFT


def settlement_workflow_id(period: str, county_code: str | None = None) -> str:
    return f"settlement-{period}" if county_code is None else f"settlement-{period}-{county_code}"


def statement_workflow_id(statement_id: Any) -> str:
    return f"statement-{statement_id}"


def refuse(code: str, message: str) -> ApplicationError:
    return ApplicationError(message, type=code, non_retryable=True)


def approver_role(purchaser_code: str) -> Role:
    """A township's statements are decided by its township worker, a county's by its county officer."""
    return Role.COUNTY_OFFICER if len(purchaser_code) == 6 else Role.TOWNSHIP_WORKER


def check_approver(actor: Actor, purchaser_code: str) -> None:
    role = approver_role(purchaser_code)
    if actor.role is not role:
        who = "县级民政部门" if role is Role.COUNTY_OFFICER else "乡镇(街道)社会救助工作人员"
        raise refuse("wrong_role", f"此结算单应由购买主体的{who}办理")
    if actor.jurisdiction != purchaser_code:
        raise refuse("out_of_jurisdiction", "该结算单不属于您所在的购买主体")


@workflow.defn
class SettlementTickWorkflow:
    @workflow.run
    async def run(self, start: TickStart) -> RunSummary | None:
        at = workflow.info().typed_search_attributes.get(SCHEDULED_AT) or workflow.now()
        period = periods.settled_by_run_at(at)
        try:
            handle = await workflow.start_child_workflow(
                SettlementWorkflow.run, SettlementStart(period=period, cutoff=at),
                id=settlement_workflow_id(period), parent_close_policy=workflow.ParentClosePolicy.ABANDON,
            )
        except WorkflowAlreadyStartedError:
            return None  # that period's run is already under way and settles the same
        summary: RunSummary = await handle
        return summary


@workflow.defn
class SettlementWorkflow:
    @workflow.run
    async def run(self, start: SettlementStart) -> RunSummary:
        info = workflow.info()
        request = RunRequest(period=start.period, county_code=start.county_code,
                             cutoff=start.cutoff or workflow.now(), workflow_id=f"{info.workflow_id}/{info.run_id}")
        opened: RunOpened = await workflow.execute_activity(
            "settlement_open_run", request, result_type=RunOpened,
            start_to_close_timeout=timedelta(minutes=1), retry_policy=_RUN_RETRY,
        )
        statements: list[StatementRef] = []
        exceptions = 0
        for county in opened.counties:  # one transaction each, in code order
            done: CountyComputed = await workflow.execute_activity(
                "settlement_compute_county",
                CountyInput(period=start.period, county_code=county.county_code, cutoff=county.cutoff),
                result_type=CountyComputed, start_to_close_timeout=timedelta(minutes=30),
                heartbeat_timeout=timedelta(seconds=10), retry_policy=_RUN_RETRY,
            )
            statements += done.statements
            exceptions += done.exceptions
        drafts = [s for s in statements if s.status is _DS]
        for i in range(0, len(drafts), _START_BATCH):
            await asyncio.gather(*(self._start_review(s) for s in drafts[i:i + _START_BATCH]))
        await workflow.execute_activity(
            "settlement_close_run",
            RunFinished(period=start.period, counties=[c.county_code for c in opened.counties],
                        workflow_id=request.workflow_id),
            start_to_close_timeout=timedelta(minutes=1), retry_policy=_RUN_RETRY,
        )
        return RunSummary(period=start.period, counties=len(opened.counties), statements=len(statements),
                          drafts=len(drafts), exceptions=exceptions)

    async def _start_review(self, ref: StatementRef) -> None:
        # Already started: its review is open, and the version it approves is checked against the database.
        with contextlib.suppress(WorkflowAlreadyStartedError):
            await workflow.start_child_workflow(
                StatementWorkflow.run,
                StatementStart(statement_id=ref.statement_id, period=ref.period, county_code=ref.county_code,
                               purchaser_code=ref.purchaser_code),
                id=statement_workflow_id(ref.statement_id), parent_close_policy=workflow.ParentClosePolicy.ABANDON,
            )


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
            self._files = await workflow.execute_activity(
                "statement_export", start.statement_id, result_type=list[FileRef],
                start_to_close_timeout=timedelta(minutes=5), retry_policy=_RUN_RETRY,
            )
            await workflow.wait_condition(lambda: self._status is StatementStatus.PAID)
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self.state()

    async def _await_decision(self) -> None:
        """The approval step: the purchaser approves or returns the statement, and the review waits here,
        under its deadline (the county's rule APPROVAL_DEADLINE_RULE, working days from the computation):
        each escalation rung fires once, unless the statement is decided first."""
        written: StepWritten = await workflow.execute_activity(
            Action.STATEMENT_DEADLINE.value, StatementDeadlineInput(statement_id=self._start.statement_id,
                                                                    at=workflow.now()),
            result_type=StepWritten, start_to_close_timeout=timedelta(seconds=30), retry_policy=_RUN_RETRY,
        )
        plan = written.deadline
        for rung in sorted(plan.rungs, key=lambda r: r.at) if plan else []:
            if rung.at > workflow.now():
                try:
                    await workflow.wait_condition(lambda: self._status is not _DS, timeout=rung.at - workflow.now())
                    return
                except TimeoutError:
                    pass
            if self._status is not _DS:
                return
            assert plan is not None
            await workflow.execute_activity(
                Action.STATEMENT_ESCALATE.value,
                StatementEscalateInput(statement_id=self._start.statement_id, deadline=plan, rung=rung.rung,
                                       at=workflow.now()),
                start_to_close_timeout=timedelta(seconds=30), retry_policy=_RUN_RETRY,
            )
        await workflow.wait_condition(lambda: self._status is not _DS)

    @workflow.query
    def state(self) -> StatementState:
        return StatementState(statement_id=self._start.statement_id, status=self._status, version=self._version,
                              files=self._files)

    @workflow.update
    async def approve(self, cmd: Command[ApproveForm]) -> StatementOutcome:
        async with self._lock:
            self._check_approve(cmd.actor)
            if self._status not in LOCKED:  # a second click finds it approved and writes nothing
                done = await self._act("statement_approve", cmd)
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
            if self._status is _DS:
                done = await self._act("statement_return", cmd)
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
                done = await self._act("statement_mark_paid", cmd)
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

    async def _act(self, activity_name: str, cmd: Command[Any]) -> StatementOutcome:
        info = workflow.current_update_info()
        assert info is not None, "called outside an update handler"
        act = StatementAct[Any](statement_id=self._start.statement_id, actor=cmd.actor, form=cmd.form,
                                at=workflow.now(), update_id=info.id)
        try:
            done: StatementOutcome = await workflow.execute_local_activity(
                activity_name, act, result_type=StatementOutcome,
                start_to_close_timeout=timedelta(seconds=10), retry_policy=_LOCAL_RETRY,
            )
            return done
        except ActivityError as err:
            cause = err.cause  # fail only this update; the statement stays where it was
            if isinstance(cause, ApplicationError) and cause.non_retryable:
                raise refuse(cause.type or "refused", cause.message) from None
            raise refuse("system_unavailable", "系统暂时无法保存，请稍后重试") from None
