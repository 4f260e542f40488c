"""One case, one durable workflow: the ten-step flow of steps.py driven by Workflow Updates.

Each human action is an update whose validator refuses a wrong step, role, jurisdiction or provider before
anything is written. An accepted update runs its step's activity (a local activity: the record, the case
projection and the audit row in one transaction, idempotent on (case_id, seq)) and only then moves the state.
In service the case wakes once a month for its review and continues-as-new, so history stays bounded.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from uuid import UUID

from temporalio import workflow
from temporalio.common import RetryPolicy, SearchAttributeKey
from temporalio.exceptions import ActivityError, ApplicationError

from assistflow.models.payloads import (
    Action,
    Actor,
    ArchiveForm,
    CaseStart,
    CaseState,
    CaseStatus,
    CloseForm,
    Command,
    Holding,
    OpenForm,
    Outcome,
    Payload,
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
    StepWritten,
    StopForm,
    SurveyForm,
    Transition,
    WithdrawForm,
)
from assistflow.workflows import steps
from assistflow.workflows.steps import Role, Step
from assistflow.workflows.timing import next_review_at, period_of

SA_STEP = SearchAttributeKey.for_keyword("AssistStep")
SA_COUNTY = SearchAttributeKey.for_keyword("AssistCounty")
SA_TOWNSHIP = SearchAttributeKey.for_keyword("AssistTownship")
SEARCH_ATTRIBUTES = (SA_STEP, SA_COUNTY, SA_TOWNSHIP)

_RECENT_UPDATES = 64
_ACTIVITY_RETRY = RetryPolicy(initial_interval=timedelta(milliseconds=200), maximum_attempts=6)
_T, _V, _P, _A = Role.TOWNSHIP_WORKER, Role.VILLAGE_ASSISTANT, Role.PROVIDER, Role.APPLICANT

# Which action may be taken in which steps, by whom. The step's own actors come from steps.py.
_RULES: dict[Action, tuple[frozenset[Step], frozenset[Role]]] = {
    Action.REGISTER: (frozenset({Step.REGISTRATION}), steps.SPEC[Step.REGISTRATION].actors),
    Action.RETURN_INCOMPLETE: (frozenset({Step.REGISTRATION}), frozenset({_T})),
    Action.RESUBMIT: (frozenset({Step.REGISTRATION}), frozenset({_T, _V, _A})),
    Action.SURVEY: (frozenset({Step.SURVEY}), steps.SPEC[Step.SURVEY].actors),
    Action.REVIEW: (frozenset({Step.REVIEW}), steps.SPEC[Step.REVIEW].actors),
    Action.REFER: (frozenset({Step.REFERRAL}), frozenset({_T})),
    Action.RESPOND: (frozenset({Step.REFERRAL}), frozenset({_P})),
    Action.FILE_PLAN: (frozenset({Step.SERVICE}), steps.SPEC[Step.SERVICE].actors),
    Action.BUILD_ARCHIVE: (frozenset({Step.ARCHIVING}), steps.SPEC[Step.ARCHIVING].actors),
    Action.WITHDRAW: (steps.BEFORE_DECISION, frozenset({_T, _A})),
    Action.CLOSE: (frozenset({Step.REFERRAL}), frozenset({_T})),
    Action.STOP: (frozenset({Step.SERVICE}) | steps.IN_SERVICE, frozenset({_T})),
}

_ROLE_ZH = {
    Role.APPLICANT: "申请人",
    Role.VILLAGE_ASSISTANT: "村(社区)社会救助协理员",
    Role.TOWNSHIP_WORKER: "乡镇(街道)社会救助工作人员",
    Role.COUNTY_OFFICER: "县级民政部门",
    Role.PROVIDER: "服务供给主体",
    Role.AUDITOR: "审计/纪检",
}


def refuse(code: str, message: str) -> ApplicationError:
    """A refusal the API passes on as is: `code` for machines, `message` (Chinese) for case workers."""
    return ApplicationError(message, type=code, non_retryable=True)


@workflow.defn
class CaseWorkflow:
    @workflow.init
    def __init__(self, start: CaseStart) -> None:
        self._state: CaseState | None = start.state
        self._open_failed = False
        self._lock = asyncio.Lock()

    @workflow.run
    async def run(self, start: CaseStart) -> Holding | None:
        await workflow.wait_condition(lambda: self._state is not None or self._open_failed)
        while self._state is not None and self._state.holding.status is CaseStatus.OPEN:
            if self._state.holding.step is Step.DYNAMIC_MANAGEMENT:
                await self._wait_for_monthly_review()
            else:
                await self._wait_for_next_step(self._state.seq)
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self._state.holding if self._state else None

    async def _wait_for_next_step(self, seq: int) -> None:
        await workflow.wait_condition(
            lambda: self._seq() != seq or workflow.info().is_continue_as_new_suggested()
        )
        if self._seq() == seq:  # nothing moved: the history is long, start a fresh run
            await self._continue()

    # ---- queries -------------------------------------------------------------------------------

    @workflow.query
    def state(self) -> CaseState | None:
        return self._state

    # ---- updates -------------------------------------------------------------------------------

    @workflow.update
    async def open(self, cmd: Command[OpenForm]) -> StepResult:
        async with self._lock:
            self._check_open(cmd)
            info = workflow.info()
            after = Holding(step=Step.REGISTRATION, holder_role=Role.TOWNSHIP_WORKER)
            state = CaseState(
                case_id=case_id_of(info.workflow_id),
                person_id=cmd.form.person_id,
                village_code=cmd.form.village_code,
                holding=after,
                seq=1,
            )
            transition = Transition(
                case_id=state.case_id, seq=1, action=Action.OPEN, actor=cmd.actor,
                before=None, after=after, at=workflow.now(),
            )
            try:
                written = await self._write(Action.OPEN, Record[OpenForm](transition=transition, body=cmd.form))
            except ApplicationError:
                self._open_failed = True
                raise
            self._state = state.model_copy(update={"recent_update_ids": [_update_id()]})
            self._upsert_search_attributes()
            return StepResult(case_id=state.case_id, seq=1, holding=after, at=written.at)

    @open.validator
    def _validate_open(self, cmd: Command[OpenForm]) -> None:
        self._check_open(cmd)

    @workflow.update
    async def register(self, cmd: Command[RegisterForm]) -> StepResult:
        def after(s: CaseState) -> CaseState:
            return _hold(s, Step.SURVEY, Role.VILLAGE_ASSISTANT, assignee_id=cmd.actor.user_id)

        return await self._step(Action.REGISTER, cmd, after)

    @register.validator
    def _validate_register(self, cmd: Command[RegisterForm]) -> None:
        self._check(Action.REGISTER, cmd.actor)

    @workflow.update
    async def return_incomplete(self, cmd: Command[ReturnForm]) -> StepResult:
        def after(s: CaseState) -> CaseState:
            return _hold(s, Step.REGISTRATION, Role.APPLICANT, awaiting_applicant=True)

        return await self._step(Action.RETURN_INCOMPLETE, cmd, after)

    @return_incomplete.validator
    def _validate_return(self, cmd: Command[ReturnForm]) -> None:
        self._check(Action.RETURN_INCOMPLETE, cmd.actor)

    @workflow.update
    async def resubmit(self, cmd: Command[ResubmitForm]) -> StepResult:
        def after(s: CaseState) -> CaseState:
            return _hold(s, Step.REGISTRATION, Role.TOWNSHIP_WORKER)

        return await self._step(Action.RESUBMIT, cmd, after)

    @resubmit.validator
    def _validate_resubmit(self, cmd: Command[ResubmitForm]) -> None:
        self._check(Action.RESUBMIT, cmd.actor)

    @workflow.update
    async def survey(self, cmd: Command[SurveyForm]) -> StepResult:
        def after(s: CaseState) -> CaseState:
            return _hold(s, Step.REVIEW, Role.TOWNSHIP_WORKER)

        return await self._step(Action.SURVEY, cmd, after)

    @survey.validator
    def _validate_survey(self, cmd: Command[SurveyForm]) -> None:
        self._check(Action.SURVEY, cmd.actor)

    @workflow.update
    async def review(self, cmd: Command[ReviewForm]) -> StepResult:
        def after(s: CaseState) -> CaseState:
            if cmd.form.decision is ReviewDecision.REFUSE:
                return _close(s, Outcome.REFUSED)
            moved = _hold(s, Step.REFERRAL, Role.TOWNSHIP_WORKER, assignee_id=cmd.actor.user_id)
            return moved.model_copy(update={"approved": cmd.form.items})

        return await self._step(Action.REVIEW, cmd, after)

    @review.validator
    def _validate_review(self, cmd: Command[ReviewForm]) -> None:
        self._check(Action.REVIEW, cmd.actor)

    @workflow.update
    async def refer(self, cmd: Command[ReferForm]) -> StepResult:
        def after(s: CaseState) -> CaseState:
            return _hold(s, Step.REFERRAL, Role.PROVIDER, provider_id=cmd.form.provider_id)

        return await self._step(Action.REFER, cmd, after)

    @refer.validator
    def _validate_refer(self, cmd: Command[ReferForm]) -> None:
        state = self._check(Action.REFER, cmd.actor)
        if state.holding.holder_role is Role.PROVIDER:
            raise refuse("awaiting_provider", "案件已转介，正在等待服务供给主体答复")
        if cmd.form.provider_id in state.declined_by:
            raise refuse("provider_declined", "该服务供给主体已拒绝承接本案件，请选择其他服务供给主体")

    @workflow.update
    async def respond_referral(self, cmd: Command[RespondForm]) -> StepResult:
        def after(s: CaseState) -> CaseState:
            if cmd.form.accept:
                return _hold(s, Step.SERVICE, Role.PROVIDER, provider_id=s.holding.provider_id)
            assert s.holding.provider_id is not None
            back = _hold(s, Step.REFERRAL, Role.TOWNSHIP_WORKER, provider_id=None)
            return back.model_copy(update={"declined_by": [*s.declined_by, s.holding.provider_id]})

        return await self._step(Action.RESPOND, cmd, after)

    @respond_referral.validator
    def _validate_respond(self, cmd: Command[RespondForm]) -> None:
        state = self._check(Action.RESPOND, cmd.actor)
        if state.holding.holder_role is not Role.PROVIDER:
            raise refuse("wrong_step", "案件尚未转介给服务供给主体")

    @workflow.update
    async def file_plan(self, cmd: Command[PlanForm]) -> StepResult:
        def after(s: CaseState) -> CaseState:
            return _hold(s, Step.ARCHIVING, Role.PROVIDER, provider_id=s.holding.provider_id)

        return await self._step(Action.FILE_PLAN, cmd, after)

    @file_plan.validator
    def _validate_plan(self, cmd: Command[PlanForm]) -> None:
        state = self._check(Action.FILE_PLAN, cmd.actor)
        approved = {i.item_code: i.quantity_per_month for i in state.approved}
        for item in cmd.form.items:
            if item.item_code not in approved:
                raise refuse("item_not_approved", f"服务项目“{item.item_code}”不在审核确认的服务事项中")
            if item.quantity_per_month > approved[item.item_code]:
                raise refuse("plan_exceeds_approval", f"服务项目“{item.item_code}”每月数量超过审核确认的数量")

    @workflow.update
    async def build_archive(self, cmd: Command[ArchiveForm]) -> StepResult:
        def after(s: CaseState) -> CaseState:
            return _hold(s, Step.DYNAMIC_MANAGEMENT, Role.TOWNSHIP_WORKER,
                         provider_id=s.holding.provider_id, assignee_id=None)

        return await self._step(Action.BUILD_ARCHIVE, cmd, after)

    @build_archive.validator
    def _validate_archive(self, cmd: Command[ArchiveForm]) -> None:
        self._check(Action.BUILD_ARCHIVE, cmd.actor)

    @workflow.update
    async def withdraw(self, cmd: Command[WithdrawForm]) -> StepResult:
        return await self._step(Action.WITHDRAW, cmd, lambda s: _close(s, Outcome.WITHDRAWN))

    @withdraw.validator
    def _validate_withdraw(self, cmd: Command[WithdrawForm]) -> None:
        self._check(Action.WITHDRAW, cmd.actor)

    @workflow.update
    async def close(self, cmd: Command[CloseForm]) -> StepResult:
        return await self._step(Action.CLOSE, cmd, lambda s: _close(s, Outcome.NO_PROVIDER))

    @close.validator
    def _validate_close(self, cmd: Command[CloseForm]) -> None:
        state = self._check(Action.CLOSE, cmd.actor)
        if state.holding.holder_role is Role.PROVIDER:
            raise refuse("awaiting_provider", "案件正在等待服务供给主体答复，不能结案")

    @workflow.update
    async def stop_services(self, cmd: Command[StopForm]) -> StepResult:
        return await self._step(Action.STOP, cmd, lambda s: _close(s, Outcome.STOPPED))

    @stop_services.validator
    def _validate_stop(self, cmd: Command[StopForm]) -> None:
        self._check(Action.STOP, cmd.actor)

    # ---- the machinery -------------------------------------------------------------------------

    def _seq(self) -> int:
        return self._state.seq if self._state else 0

    def _check_open(self, cmd: Command[OpenForm]) -> None:
        if self._state is not None or self._open_failed:
            raise refuse("already_open", "案件已受理，请勿重复提交")
        _check_actor_scope(cmd.actor, cmd.form.village_code, steps.SPEC[Step.APPLICATION].actors)
        if cmd.actor.role is Role.APPLICANT and cmd.actor.person_id != cmd.form.person_id:
            raise refuse("not_own_case", "申请人只能为本人提出申请")

    def _check(self, action: Action, actor: Actor) -> CaseState:
        """Everything a validator can know without I/O; raised again under the lock in the handler."""
        state = self._state
        if state is None:
            raise refuse("case_not_found", "案件不存在")
        if _update_id() in state.recent_update_ids:
            return state  # a retried request that was already applied: answered without a new write
        if state.holding.status is CaseStatus.CLOSED:
            raise refuse("case_closed", "案件已办结，不能再办理")
        allowed_steps, roles = _RULES[action]
        if state.holding.step not in allowed_steps:
            raise refuse(
                "wrong_step",
                f"案件当前处于“{steps.zh(state.holding.step)}”环节，不能办理此操作",
            )
        _check_actor_scope(actor, state.village_code, roles)
        if actor.role is Role.PROVIDER and actor.provider_id != state.holding.provider_id:
            raise refuse("not_assigned_provider", "本案件未转介给贵机构")
        if actor.role is Role.APPLICANT and actor.person_id != state.person_id:
            raise refuse("not_own_case", "申请人只能办理本人的案件")
        if state.holding.awaiting_applicant and action not in (Action.RESUBMIT, Action.WITHDRAW):
            raise refuse("awaiting_applicant", "申请材料已退回补充，待申请人补齐后再办理")
        if action is Action.RESUBMIT and not state.holding.awaiting_applicant:
            raise refuse("wrong_step", "案件没有待补充的材料")
        return state

    async def _step(
        self, action: Action, cmd: Command[Any], after: Callable[[CaseState], CaseState]
    ) -> StepResult:
        update_id = _update_id()
        async with self._lock:
            state = self._check(action, cmd.actor)
            if update_id in state.recent_update_ids:
                return StepResult(case_id=state.case_id, seq=state.seq, holding=state.holding,
                                  at=workflow.now())
            moved = after(state)
            transition = Transition(
                case_id=state.case_id, seq=state.seq + 1, action=action, actor=cmd.actor,
                before=state.holding, after=moved.holding, at=workflow.now(),
            )
            written = await self._write(action, Record[Any](transition=transition, body=cmd.form))
            recent = [*state.recent_update_ids, update_id][-_RECENT_UPDATES:]
            self._state = moved.model_copy(update={"seq": transition.seq, "recent_update_ids": recent})
            self._upsert_search_attributes()
            return StepResult(case_id=state.case_id, seq=transition.seq, holding=moved.holding,
                              at=written.at, service_no=written.service_no)

    async def _write(self, action: Action, record: Payload) -> StepWritten:
        try:
            written: StepWritten = await workflow.execute_local_activity(
                action.value, record, result_type=StepWritten,
                start_to_close_timeout=timedelta(seconds=10), retry_policy=_ACTIVITY_RETRY,
            )
            return written
        except ActivityError as err:
            # Fail only this update: the case stays where it was and the caller sees why.
            cause = err.cause
            if isinstance(cause, ApplicationError) and cause.non_retryable:
                raise refuse(cause.type or "refused", cause.message) from None
            raise refuse("system_unavailable", "系统暂时无法保存，请稍后重试") from None

    def _upsert_search_attributes(self) -> None:
        assert self._state is not None
        code = self._state.village_code
        workflow.upsert_search_attributes([
            SA_STEP.value_set(self._state.holding.step.value if self._state.holding.status is CaseStatus.OPEN
                              else "closed"),
            SA_COUNTY.value_set(code[:6]),
            SA_TOWNSHIP.value_set(code[:9]),
        ])

    async def _wait_for_monthly_review(self) -> None:
        assert self._state is not None
        due = next_review_at(self._state.case_id, workflow.now())
        try:
            await workflow.wait_condition(
                lambda: self._state is not None and self._state.holding.status is CaseStatus.CLOSED,
                timeout=due - workflow.now(),
            )
            return
        except TimeoutError:
            pass
        async with self._lock:
            state = self._state
            period = period_of(workflow.now())
            if state.holding.status is CaseStatus.OPEN and state.last_review_period != period:
                await workflow.execute_local_activity(
                    Action.MONTHLY_REVIEW.value, ReviewDue(case_id=state.case_id, period=period, at=workflow.now()),
                    result_type=ReviewOutcome,
                    start_to_close_timeout=timedelta(seconds=10), retry_policy=_ACTIVITY_RETRY,
                )
                self._state = state.model_copy(update={"last_review_period": period})
        await self._continue()

    async def _continue(self) -> None:
        await workflow.wait_condition(workflow.all_handlers_finished)
        assert self._state is not None
        workflow.continue_as_new(CaseStart(case_id=self._state.case_id, state=self._state))


def _update_id() -> str:
    info = workflow.current_update_info()
    assert info is not None, "called outside an update handler or validator"
    return info.id


def workflow_id_for(case_id: UUID) -> str:
    """Workflow ids carry the case's random id only: nothing personal ever appears in them."""
    return f"case-{case_id}"


def case_id_of(workflow_id: str) -> UUID:
    return UUID(workflow_id.removeprefix("case-"))


def _check_actor_scope(actor: Actor, village_code: str, roles: frozenset[Role]) -> None:
    if actor.role not in roles:
        names = "、".join(_ROLE_ZH[r] for r in sorted(roles))
        raise refuse("wrong_role", f"此操作应由{names}办理")
    if actor.role is not Role.PROVIDER and not village_code.startswith(actor.jurisdiction):
        raise refuse("out_of_jurisdiction", "案件不在您的管辖范围内")


def _hold(state: CaseState, step: Step, role: Role, **changes: Any) -> CaseState:
    holding = state.holding.model_copy(
        update={"step": step, "holder_role": role, "awaiting_applicant": False, **changes}
    )
    return state.model_copy(update={"holding": holding})


def _close(state: CaseState, outcome: Outcome) -> CaseState:
    holding = state.holding.model_copy(
        update={"status": CaseStatus.CLOSED, "outcome": outcome, "holder_role": None, "assignee_id": None}
    )
    return state.model_copy(update={"holding": holding})
