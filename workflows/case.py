"""One case, one durable workflow, executing the process table of workflows/process.py.

Every person's action arrives as a Workflow Update named after the action. One handler serves them all: it looks
the action up in the table (an action not declared there is refused), its validator refuses a wrong step, role,
jurisdiction, provider or form before anything is written, and the accepted update runs the action's activity by
reference — a local activity writing the record, the case projection, the audit row and the next deadline in
one transaction, idempotent on (case_id, seq) — and only then moves the state to where the table leads.

Between updates the case sleeps until its next deadline rung or, in service, its monthly review, after which it
continues-as-new, so its history stays bounded however many years it runs.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from temporalio import workflow
from temporalio.common import RawValue, RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

from models.payloads.actor import Command
from models.payloads.case import CaseStart, CaseState, DeadlinePlan, Position, StepResult
from models.payloads.jobs import (
    BlockedInput,
    EscalateInput,
    RecomputeInput,
    ReviewDue,
    ReviewOutcome,
    StepRecord,
    StepSaved,
    Transition,
)
from vocabulary.case import Action, Role, Rung, Step
from vocabulary.refusal import refuse
from workflows import process, transitions
from workflows.case_activities import CaseActivities
from workflows.review_timing import next_review_at, period_of
from workflows.transitions import Act
from workflows.visibility import case_id_of, search_attributes

RECENT_UPDATES = 64
UNAVAILABLE = "system_unavailable"  # a transient fault: the API answers 503 and nothing is recorded
_STEP_RETRY = RetryPolicy(initial_interval=timedelta(milliseconds=200), maximum_attempts=6)
# The workflow's own work (escalation, review, recomputation) gets a bounded number of attempts; then the case
# is marked blocked and waits for a supervisor's retry instead of looking silently alive.
BACKGROUND_ATTEMPTS = 5
_BACKGROUND_RETRY = RetryPolicy(initial_interval=timedelta(seconds=2), backoff_coefficient=2.0,
                                maximum_interval=timedelta(minutes=1), maximum_attempts=BACKGROUND_ATTEMPTS)
# Marking blocked must itself get through eventually (e.g. the database was the thing that failed).
_MARK_RETRY = RetryPolicy(initial_interval=timedelta(seconds=5), maximum_interval=timedelta(minutes=10))
_CLOSED = object()  # what automatic work answers when the case closed while it was blocked


def _update_id() -> str:
    info = workflow.current_update_info()
    assert info is not None, "called outside an update handler or validator"
    return info.id


def _decode(name: str, args: Sequence[RawValue]) -> tuple[Act[Any], Command[Any]]:
    """The table's row for this update, and its input as that row's form: nothing else is accepted."""
    act = process.BY_NAME.get(name)
    if act is None:
        raise refuse("unknown_action", "不支持的办理操作")
    if len(args) != 1:
        raise refuse("invalid_input", "办理请求的内容有误")
    try:
        cmd = workflow.payload_converter().from_payload(args[0].payload, cast(Any, Command)[act.form])
    except Exception:
        raise refuse("invalid_input", "办理请求的内容有误") from None
    return act, cmd


def _wake_delay(at: datetime) -> timedelta:
    """Time until `at`; never zero or negative (a zero timeout means no timeout at all)."""
    return max(at - workflow.now(), timedelta(milliseconds=1))


@workflow.defn
class CaseWorkflow:
    @workflow.init
    def __init__(self, start: CaseStart) -> None:
        self._state = start.state
        self._open_failed = False
        self._recompute = False
        self._lock = asyncio.Lock()

    @workflow.run
    async def run(self, start: CaseStart) -> Position | None:
        await workflow.wait_condition(lambda: self._state is not None or self._open_failed)
        while self._state is not None and self._state.position.outcome is None:
            await self._sleep_then_do_what_is_due(self._state)
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self._state.position if self._state else None

    @workflow.query
    def state(self) -> CaseState | None:
        return self._state

    @workflow.signal
    def recompute_deadline(self) -> None:
        """Sent when a year's calendar is loaded: provisional deadlines become final."""
        self._recompute = True

    # ---- a person's action: one update per row of the process table ---------------------------------------

    @workflow.update(dynamic=True)
    async def take(self, name: str, args: Sequence[RawValue]) -> StepResult:
        act, cmd = _decode(name, args)
        async with self._lock:  # an earlier update may have moved the case while this one waited
            if act.opens:
                return await self._open(act, cmd)
            state = self._known()
            if _update_id() in state.recent_update_ids:  # a retried request already applied: no new write
                return StepResult(case_id=state.case_id, seq=state.seq, position=state.position, at=workflow.now())
            transitions.check(act, state, cmd)
            moved = transitions.move(act, state, cmd, workflow.now())
            t = Transition(case_id=state.case_id, seq=state.seq + 1, action=act.action, actor=cmd.actor,
                           before=state.position, after=moved.position, at=workflow.now())
            saved = await self._write(act, StepRecord[Any](transition=t, form=cmd.form, request=cmd.request))
            recent = [*state.recent_update_ids, _update_id()][-RECENT_UPDATES:]
            self._set_state(moved.model_copy(update={"seq": t.seq, "recent_update_ids": recent}), saved.deadline)
            return _answer(t, saved)

    @take.validator
    def _validate(self, name: str, args: Sequence[RawValue]) -> None:
        act, cmd = _decode(name, args)
        if act.opens:
            self._check_open(cmd)
            return
        state = self._known()
        if _update_id() not in state.recent_update_ids:
            transitions.check(act, state, cmd)

    def _known(self) -> CaseState:
        if self._state is None:
            raise refuse("case_not_found", "案件不存在")
        return self._state

    def _check_open(self, cmd: Command[Any]) -> None:
        if self._state is not None or self._open_failed:
            raise refuse("already_open", "案件已受理，请勿重复提交")
        refusal = transitions.in_scope(cmd.actor, cmd.form.village_code, process.OPEN.by)
        if refusal is not None:
            raise refusal
        if cmd.actor.role is Role.APPLICANT and cmd.actor.person_id != cmd.form.person_id:
            raise refuse("not_own_case", "申请人只能为本人提出申请")

    async def _open(self, act: Act[Any], cmd: Command[Any]) -> StepResult:
        self._check_open(cmd)
        state = CaseState(case_id=case_id_of(workflow.info().workflow_id), person_id=cmd.form.person_id,
                          village_code=cmd.form.village_code, position=transitions.opened(act), seq=1)
        t = Transition(case_id=state.case_id, seq=1, action=act.action, actor=cmd.actor, before=None,
                       after=state.position, at=workflow.now())
        try:
            saved = await self._write(act, StepRecord[Any](transition=t, form=cmd.form, request=cmd.request))
        except ApplicationError as refusal:
            # e.g. the person already has an open case: this workflow ends empty. A transient failure leaves it
            # waiting, so the client's retry (the same case id) opens it.
            self._open_failed = refusal.type != UNAVAILABLE
            raise
        self._set_state(state.model_copy(update={"recent_update_ids": [_update_id()]}), saved.deadline)
        return _answer(t, saved)

    async def _write(self, act: Act[Any], record: StepRecord[Any]) -> StepSaved:
        try:
            saved: StepSaved = await workflow.execute_local_activity_method(
                act.writes, record, start_to_close_timeout=timedelta(seconds=10),
                retry_policy=_STEP_RETRY,
            )
            return saved
        except ActivityError as err:
            # Fail only this update: the case stays where it was and the caller sees why.
            cause = err.cause
            if isinstance(cause, ApplicationError) and cause.non_retryable:
                raise refuse(cause.type or "refused", cause.message) from None
            raise refuse(UNAVAILABLE, "系统暂时无法保存，请稍后重试") from None

    def _set_state(self, state: CaseState, plan: DeadlinePlan | None) -> None:
        """Take a new state and deadline; rungs already fired stay fired while the deadline is the same one."""
        old = state.deadline
        same = old is not None and plan is not None and old.seq == plan.seq
        self._state = state.model_copy(update={"deadline": plan, "fired": state.fired if same else []})
        workflow.upsert_search_attributes(search_attributes(self._state))

    # ---- the workflow's own work: deadline rungs, the monthly review, recomputation -------------------------

    async def _sleep_then_do_what_is_due(self, state: CaseState) -> None:
        if self._recompute:
            await self._recompute_deadline()
            return
        rung = _next_rung(state)
        review = state.next_review if state.position.step is Step.DYNAMIC_MANAGEMENT else None
        wake = min((t for t in (rung[1] if rung else None, review) if t is not None), default=None)
        if wake is not None and wake <= workflow.now():
            if wake == review:
                await self._review()
            elif rung is not None:
                await self._escalate(rung[0])
            return
        try:
            await workflow.wait_condition(
                lambda: self._state is not state or self._recompute or workflow.info().is_continue_as_new_suggested(),
                timeout=_wake_delay(wake) if wake is not None else None,
            )
        except TimeoutError:
            return  # due now: the next round does it
        if self._state is state and not self._recompute:
            await self._continue()  # nothing moved: the history is long, start a fresh run

    async def _review(self) -> None:
        state = self._known()
        now = workflow.now()
        period = period_of(now)
        if state.last_review_period != period:
            job = ReviewDue(case_id=state.case_id, period=period, at=now)
            if not isinstance(await self._automatically(Action.MONTHLY_REVIEW, CaseActivities.monthly_review, job),
                              ReviewOutcome):
                return
        current = self._known()
        self._state = current.model_copy(update={
            "last_review_period": period, "next_review": next_review_at(current.case_id, now)})
        await self._continue()

    async def _escalate(self, rung: Rung) -> None:
        state = self._known()
        assert state.deadline is not None
        job = EscalateInput(case_id=state.case_id, deadline=state.deadline, rung=rung, at=workflow.now())
        if await self._automatically(Action.ESCALATE, CaseActivities.escalate, job) is _CLOSED:
            return
        current = self._known()
        if current.deadline is not None and current.deadline.seq == job.deadline.seq:
            self._state = current.model_copy(update={"fired": [*current.fired, rung]})

    async def _recompute_deadline(self) -> None:
        self._recompute = False
        state = self._known()
        job = RecomputeInput(case_id=state.case_id, at=workflow.now())
        plan = await self._automatically(Action.RECOMPUTE, CaseActivities.recompute_deadline, job)
        if plan is not _CLOSED and self._state is not None:
            self._set_state(self._state, plan)

    async def _automatically(self, action: Action, activity: Any, job: Any) -> Any:
        """Run automatic work; after BACKGROUND_ATTEMPTS failures mark the case blocked and wait for a retry."""
        while True:
            try:
                return await workflow.execute_activity_method(
                    activity, job, start_to_close_timeout=timedelta(seconds=30), retry_policy=_BACKGROUND_RETRY)
            except ActivityError as err:
                cause = err.cause
                reason = (cause.message if isinstance(cause, ApplicationError) else str(cause or err))[:500]
            state = self._known()
            self._state = state.model_copy(update={"blocked": reason})
            await workflow.execute_activity_method(
                CaseActivities.mark_blocked,
                BlockedInput(case_id=state.case_id, action=action, reason=reason, at=workflow.now()),
                start_to_close_timeout=timedelta(seconds=30), retry_policy=_MARK_RETRY,
            )
            await workflow.wait_condition(lambda: self._state is None or self._state.blocked is None
                                          or self._state.position.outcome is not None)
            if self._state is None or self._state.position.outcome is not None:
                return _CLOSED

    async def _continue(self) -> None:
        await workflow.wait_condition(workflow.all_handlers_finished)
        state = self._known()
        workflow.continue_as_new(CaseStart(case_id=state.case_id, state=state))


def _next_rung(state: CaseState) -> tuple[Rung, datetime] | None:
    """The earliest rung of the running deadline not fired yet (none while the clock is suspended)."""
    plan = state.deadline
    if plan is None or plan.suspended:
        return None
    pending = [(r.rung, r.at) for r in plan.rungs if r.rung not in state.fired]
    return min(pending, key=lambda r: r[1], default=None)


def _answer(t: Transition, saved: StepSaved) -> StepResult:
    plan = saved.deadline
    return StepResult(case_id=t.case_id, seq=t.seq, position=t.after, at=saved.at, service_no=saved.service_no,
                      due_on=plan.due_on if plan else None, due_provisional=bool(plan and plan.provisional))
