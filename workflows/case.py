"""One case, one durable workflow: the ten-step flow of steps.py driven by Workflow Updates.

Each human action is an update whose validator refuses a wrong step, role, jurisdiction or provider before
anything is written. An accepted update runs its step's activity (a local activity: the record, the case
projection, the audit row and the next deadline in one transaction, idempotent on (case_id, seq)) and only
then moves the state. Between updates the case sleeps until its next deadline rung or, in service, its
monthly review, after which it continues-as-new so history stays bounded however many years it runs.
"""

from __future__ import annotations

import asyncio
from datetime import datetime

from temporalio import workflow
from temporalio.exceptions import ApplicationError

from models.payloads import (
    Action,
    ArchiveForm,
    CaseStart,
    CaseState,
    CaseStatus,
    CloseForm,
    Command,
    Holding,
    OpenForm,
    Outcome,
    PlanForm,
    Record,
    ReferForm,
    RegisterForm,
    RespondForm,
    ResubmitForm,
    ReturnForm,
    ReviewDecision,
    ReviewDue,
    ReviewForm,
    ReviewOutcome,
    StepResult,
    StopForm,
    SurveyForm,
    Transition,
    WithdrawForm,
)
from workflows import steps
from workflows.case_base import CaseBase, Check, update_id, wake_delay
from workflows.rules import (
    SEARCH_ATTRIBUTES,
    case_id_of,
    check_scope,
    hold,
    refuse,
    workflow_id_for,
)
from workflows.rules import (
    close as close_case,
)
from workflows.steps import Role, Step
from workflows.timing import next_review_at, period_of

__all__ = ["SEARCH_ATTRIBUTES", "CaseWorkflow", "workflow_id_for"]


def _refer_check(cmd: Command[ReferForm]) -> Check:
    def check(state: CaseState) -> None:
        if state.holding.holder_role is Role.PROVIDER:
            raise refuse("awaiting_provider", "案件已转介，正在等待服务供给主体答复")
        if cmd.form.provider_id in state.declined_by:
            raise refuse("provider_declined", "该服务供给主体已拒绝承接本案件，请选择其他服务供给主体")

    return check


def _awaiting_provider(state: CaseState) -> None:
    if state.holding.holder_role is not Role.PROVIDER:
        raise refuse("wrong_step", "案件尚未转介给服务供给主体")


def _not_awaiting_provider(state: CaseState) -> None:
    if state.holding.holder_role is Role.PROVIDER:
        raise refuse("awaiting_provider", "案件正在等待服务供给主体答复，不能结案")


def _plan_check(cmd: Command[PlanForm]) -> Check:
    def check(state: CaseState) -> None:
        approved = {i.item_code: i.quantity_per_month for i in state.approved}
        for item in cmd.form.items:
            if item.item_code not in approved:
                raise refuse("item_not_approved", f"服务项目“{item.item_code}”不在审核确认的服务事项中")
            if item.quantity_per_month > approved[item.item_code]:
                raise refuse("plan_exceeds_approval", f"服务项目“{item.item_code}”每月数量超过审核确认的数量")

    return check


@workflow.defn
class CaseWorkflow(CaseBase):
    @workflow.init
    def __init__(self, start: CaseStart) -> None:
        self._state = start.state
        self._open_failed = False
        self._recompute = False
        self._lock = asyncio.Lock()

    @workflow.run
    async def run(self, start: CaseStart) -> Holding | None:
        await workflow.wait_condition(lambda: self._state is not None or self._open_failed)
        while self._state is not None and self._state.holding.status is CaseStatus.OPEN:
            await self._tick(self._state)
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self._state.holding if self._state else None

    async def _tick(self, state: CaseState) -> None:
        """Sleep until the state changes or the next timed thing is due, then do that one thing."""
        if self._recompute:
            await self._recompute_deadline()
            return
        rung = self._next_rung()
        review = state.next_review if state.holding.step is Step.DYNAMIC_MANAGEMENT else None
        wake: datetime | None = min((t for t in (rung.at if rung else None, review) if t is not None),
                                    default=None)
        if wake is not None and wake <= workflow.now():
            if wake == review:
                await self._review()
            elif rung is not None:
                await self._fire(rung)
            return
        try:
            await workflow.wait_condition(
                lambda: self._state is not state or self._recompute or workflow.info().is_continue_as_new_suggested(),
                timeout=wake_delay(wake) if wake is not None else None,
            )
        except TimeoutError:
            return  # due now: the next tick does it
        if self._state is state and not self._recompute:
            await self._continue()  # nothing moved: the history is long, start a fresh run

    async def _review(self) -> None:
        state = self._state
        assert state is not None
        now = workflow.now()
        period = period_of(now)
        if state.last_review_period != period:
            job = ReviewDue(case_id=state.case_id, period=period, at=now)
            if not isinstance(await self._background(Action.MONTHLY_REVIEW, job, ReviewOutcome), ReviewOutcome):
                return
        current = self._state
        assert current is not None
        self._state = current.model_copy(update={
            "last_review_period": period, "next_review": next_review_at(current.case_id, now)})
        await self._continue()

    @workflow.query
    def state(self) -> CaseState | None:
        return self._state

    # ---- the intake: one update per human step ---------------------------------------------------

    @workflow.update
    async def open(self, cmd: Command[OpenForm]) -> StepResult:
        async with self._lock:
            self._check_open(cmd)
            after = Holding(step=Step.REGISTRATION, holder_role=Role.TOWNSHIP_WORKER)
            state = CaseState(case_id=case_id_of(workflow.info().workflow_id), person_id=cmd.form.person_id,
                              village_code=cmd.form.village_code, holding=after, seq=1)
            transition = Transition(case_id=state.case_id, seq=1, action=Action.OPEN, actor=cmd.actor,
                                    before=None, after=after, at=workflow.now())
            try:
                written = await self._write(Action.OPEN, Record[OpenForm](transition=transition, body=cmd.form))
            except ApplicationError:
                self._open_failed = True
                raise
            self._adopt(state.model_copy(update={"recent_update_ids": [update_id()]}), written.deadline)
            plan = written.deadline
            return StepResult(case_id=state.case_id, seq=1, holding=after, at=written.at,
                              due_on=plan.due_on if plan else None, due_provisional=bool(plan and plan.provisional))

    @open.validator
    def _validate_open(self, cmd: Command[OpenForm]) -> None:
        self._check_open(cmd)

    def _check_open(self, cmd: Command[OpenForm]) -> None:
        if self._state is not None or self._open_failed:
            raise refuse("already_open", "案件已受理，请勿重复提交")
        check_scope(cmd.actor, cmd.form.village_code, steps.SPEC[Step.APPLICATION].actors)
        if cmd.actor.role is Role.APPLICANT and cmd.actor.person_id != cmd.form.person_id:
            raise refuse("not_own_case", "申请人只能为本人提出申请")

    @workflow.update
    async def register(self, cmd: Command[RegisterForm]) -> StepResult:
        return await self._step(Action.REGISTER, cmd, lambda s: hold(
            s, Step.SURVEY, Role.VILLAGE_ASSISTANT, assignee_id=cmd.actor.user_id))

    @register.validator
    def _validate_register(self, cmd: Command[RegisterForm]) -> None:
        self._validate(Action.REGISTER, cmd)

    @workflow.update
    async def return_incomplete(self, cmd: Command[ReturnForm]) -> StepResult:
        return await self._step(Action.RETURN_INCOMPLETE, cmd, lambda s: hold(
            s, Step.REGISTRATION, Role.APPLICANT, awaiting_applicant=True))

    @return_incomplete.validator
    def _validate_return(self, cmd: Command[ReturnForm]) -> None:
        self._validate(Action.RETURN_INCOMPLETE, cmd)

    @workflow.update
    async def resubmit(self, cmd: Command[ResubmitForm]) -> StepResult:
        return await self._step(Action.RESUBMIT, cmd, lambda s: hold(s, Step.REGISTRATION, Role.TOWNSHIP_WORKER))

    @resubmit.validator
    def _validate_resubmit(self, cmd: Command[ResubmitForm]) -> None:
        self._validate(Action.RESUBMIT, cmd)

    @workflow.update
    async def survey(self, cmd: Command[SurveyForm]) -> StepResult:
        return await self._step(Action.SURVEY, cmd, lambda s: hold(s, Step.REVIEW, Role.TOWNSHIP_WORKER))

    @survey.validator
    def _validate_survey(self, cmd: Command[SurveyForm]) -> None:
        self._validate(Action.SURVEY, cmd)

    @workflow.update
    async def review(self, cmd: Command[ReviewForm]) -> StepResult:
        def move(s: CaseState) -> CaseState:
            if cmd.form.decision is ReviewDecision.REFUSE:
                return close_case(s, Outcome.REFUSED)
            moved = hold(s, Step.REFERRAL, Role.TOWNSHIP_WORKER, assignee_id=cmd.actor.user_id)
            return moved.model_copy(update={"approved": cmd.form.items})

        return await self._step(Action.REVIEW, cmd, move)

    @review.validator
    def _validate_review(self, cmd: Command[ReviewForm]) -> None:
        self._validate(Action.REVIEW, cmd)

    @workflow.update
    async def refer(self, cmd: Command[ReferForm]) -> StepResult:
        return await self._step(Action.REFER, cmd, lambda s: hold(
            s, Step.REFERRAL, Role.PROVIDER, provider_id=cmd.form.provider_id), _refer_check(cmd))

    @refer.validator
    def _validate_refer(self, cmd: Command[ReferForm]) -> None:
        self._validate(Action.REFER, cmd, _refer_check(cmd))

    @workflow.update
    async def respond_referral(self, cmd: Command[RespondForm]) -> StepResult:
        def move(s: CaseState) -> CaseState:
            if cmd.form.accept:
                return hold(s, Step.SERVICE, Role.PROVIDER, provider_id=s.holding.provider_id)
            assert s.holding.provider_id is not None
            back = hold(s, Step.REFERRAL, Role.TOWNSHIP_WORKER, provider_id=None)
            return back.model_copy(update={"declined_by": [*s.declined_by, s.holding.provider_id]})

        return await self._step(Action.RESPOND, cmd, move, _awaiting_provider)

    @respond_referral.validator
    def _validate_respond(self, cmd: Command[RespondForm]) -> None:
        self._validate(Action.RESPOND, cmd, _awaiting_provider)

    @workflow.update
    async def file_plan(self, cmd: Command[PlanForm]) -> StepResult:
        return await self._step(Action.FILE_PLAN, cmd, lambda s: hold(
            s, Step.ARCHIVING, Role.PROVIDER, provider_id=s.holding.provider_id), _plan_check(cmd))

    @file_plan.validator
    def _validate_plan(self, cmd: Command[PlanForm]) -> None:
        self._validate(Action.FILE_PLAN, cmd, _plan_check(cmd))

    @workflow.update
    async def build_archive(self, cmd: Command[ArchiveForm]) -> StepResult:
        def move(s: CaseState) -> CaseState:
            moved = hold(s, Step.DYNAMIC_MANAGEMENT, Role.TOWNSHIP_WORKER, provider_id=s.holding.provider_id,
                         assignee_id=None)
            return moved.model_copy(update={"next_review": next_review_at(s.case_id, workflow.now())})

        return await self._step(Action.BUILD_ARCHIVE, cmd, move)

    @build_archive.validator
    def _validate_archive(self, cmd: Command[ArchiveForm]) -> None:
        self._validate(Action.BUILD_ARCHIVE, cmd)

    @workflow.update
    async def withdraw(self, cmd: Command[WithdrawForm]) -> StepResult:
        return await self._step(Action.WITHDRAW, cmd, lambda s: close_case(s, Outcome.WITHDRAWN))

    @withdraw.validator
    def _validate_withdraw(self, cmd: Command[WithdrawForm]) -> None:
        self._validate(Action.WITHDRAW, cmd)

    @workflow.update
    async def close(self, cmd: Command[CloseForm]) -> StepResult:
        return await self._step(Action.CLOSE, cmd, lambda s: close_case(s, Outcome.NO_PROVIDER), _not_awaiting_provider)

    @close.validator
    def _validate_close(self, cmd: Command[CloseForm]) -> None:
        self._validate(Action.CLOSE, cmd, _not_awaiting_provider)

    @workflow.update
    async def stop_services(self, cmd: Command[StopForm]) -> StepResult:
        return await self._step(Action.STOP, cmd, lambda s: close_case(s, Outcome.STOPPED))

    @stop_services.validator
    def _validate_stop(self, cmd: Command[StopForm]) -> None:
        self._validate(Action.STOP, cmd)
