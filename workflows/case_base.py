"""The machinery under the case workflow: applying a step (validate, write, move), the deadline and its
escalation rungs, automatic work that may block, and the supervisor's updates on a running deadline.

`CaseWorkflow` (case.py) adds the intake steps and the run loop on top of this base.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

from models.payloads import (
    Action,
    BlockedInput,
    CaseStart,
    CaseState,
    CaseStatus,
    Command,
    DeadlinePlan,
    EscalateInput,
    ExtendForm,
    Payload,
    ReassignForm,
    RecomputeInput,
    Record,
    ResumeForm,
    RetryForm,
    RungAt,
    StepResult,
    StepWritten,
    SuspendForm,
    Transition,
)
from workflows import rules

_RECENT_UPDATES = 64
_STEP_RETRY = RetryPolicy(initial_interval=timedelta(milliseconds=200), maximum_attempts=6)
# Automatic work (escalation, review, recomputation) gets a bounded number of attempts; then the case is
# marked blocked and waits for a supervisor's retry instead of looking silently alive.
BACKGROUND_ATTEMPTS = 5
_BACKGROUND_RETRY = RetryPolicy(initial_interval=timedelta(seconds=2), backoff_coefficient=2.0,
                                maximum_interval=timedelta(minutes=1), maximum_attempts=BACKGROUND_ATTEMPTS)
# Marking blocked must itself get through eventually (e.g. the database was the thing that failed).
_MARK_RETRY = RetryPolicy(initial_interval=timedelta(seconds=5), maximum_interval=timedelta(minutes=10))

Check = Callable[[CaseState], None]
Move = Callable[[CaseState], CaseState]
R = TypeVar("R", bound=Payload)


def update_id() -> str:
    info = workflow.current_update_info()
    assert info is not None, "called outside an update handler or validator"
    return info.id


class CaseBase:
    _state: CaseState | None
    _lock: asyncio.Lock
    _recompute: bool

    # ---- applying a step -----------------------------------------------------------------------

    def _validate(self, action: Action, cmd: Command[Any], extra: Check | None = None) -> CaseState:
        state = self._state
        if state is None:
            raise rules.refuse("case_not_found", "案件不存在")
        if update_id() in state.recent_update_ids:
            return state  # a retried request that was already applied: answered without a new write
        rules.check(state, action, cmd.actor)
        if extra is not None:
            extra(state)
        return state

    async def _step(self, action: Action, cmd: Command[Any], move: Move, extra: Check | None = None) -> StepResult:
        uid = update_id()
        async with self._lock:  # an earlier update may have moved the case while this one waited
            state = self._validate(action, cmd, extra)
            if uid in state.recent_update_ids:
                return StepResult(case_id=state.case_id, seq=state.seq, holding=state.holding, at=workflow.now())
            moved = move(state)
            transition = Transition(
                case_id=state.case_id, seq=state.seq + 1, action=action, actor=cmd.actor,
                before=state.holding, after=moved.holding, at=workflow.now(),
            )
            written = await self._write(action, Record[Any](transition=transition, body=cmd.form))
            recent = [*state.recent_update_ids, uid][-_RECENT_UPDATES:]
            self._adopt(moved.model_copy(update={"seq": transition.seq, "recent_update_ids": recent}),
                        written.deadline)
            plan = written.deadline
            return StepResult(case_id=state.case_id, seq=transition.seq, holding=moved.holding, at=written.at,
                              service_no=written.service_no, due_on=plan.due_on if plan else None,
                              due_provisional=bool(plan and plan.provisional))

    async def _write(self, action: Action, record: Payload) -> StepWritten:
        try:
            written: StepWritten = await workflow.execute_local_activity(
                action.value, record, result_type=StepWritten,
                start_to_close_timeout=timedelta(seconds=10), retry_policy=_STEP_RETRY,
            )
            return written
        except ActivityError as err:
            # Fail only this update: the case stays where it was and the caller sees why.
            cause = err.cause
            if isinstance(cause, ApplicationError) and cause.non_retryable:
                raise rules.refuse(cause.type or "refused", cause.message) from None
            raise rules.refuse("system_unavailable", "系统暂时无法保存，请稍后重试") from None

    def _adopt(self, state: CaseState, plan: DeadlinePlan | None) -> None:
        """Take a new state and deadline plan; rungs already fired stay fired while the deadline is the same."""
        old = state.deadline
        same = old is not None and plan is not None and old.seq == plan.seq
        self._state = state.model_copy(update={"deadline": plan, "fired": state.fired if same else []})
        workflow.upsert_search_attributes(rules.search_attributes(self._state))

    # ---- deadlines: timers, rungs, recomputation --------------------------------------------------

    def _next_rung(self) -> RungAt | None:
        state = self._state
        if state is None or state.deadline is None or state.deadline.suspended:
            return None
        pending = [r for r in state.deadline.rungs if r.rung not in state.fired]
        return min(pending, key=lambda r: r.at, default=None)

    async def _fire(self, rung: RungAt) -> None:
        state = self._state
        assert state is not None and state.deadline is not None
        job = EscalateInput(case_id=state.case_id, deadline=state.deadline, rung=rung.rung, at=workflow.now())
        if await self._background(Action.ESCALATE, job, StepWritten, returns_none=True) is _CLOSED:
            return
        current = self._state
        assert current is not None
        if current.deadline is not None and current.deadline.seq == job.deadline.seq:
            self._state = current.model_copy(update={"fired": [*current.fired, rung.rung]})

    async def _recompute_deadline(self) -> None:
        self._recompute = False
        state = self._state
        assert state is not None
        written = await self._background(Action.RECOMPUTE, RecomputeInput(case_id=state.case_id, at=workflow.now()),
                                         StepWritten)
        if isinstance(written, StepWritten) and self._state is not None:
            self._adopt(self._state, written.deadline)

    @workflow.signal
    def recompute_deadline(self) -> None:
        """Sent when a year's calendar is loaded: provisional deadlines become final."""
        self._recompute = True

    # ---- automatic work that may block --------------------------------------------------------

    async def _background(self, action: Action, job: Payload, result: type[R], returns_none: bool = False) -> Any:
        """Run automatic work; after BACKGROUND_ATTEMPTS failures mark the case blocked and wait for a retry."""
        while True:
            try:
                out = await workflow.execute_activity(
                    action.value, job, result_type=None if returns_none else result,
                    start_to_close_timeout=timedelta(seconds=30), retry_policy=_BACKGROUND_RETRY,
                )
                return out if not returns_none else None
            except ActivityError as err:
                cause = err.cause
                reason = (cause.message if isinstance(cause, ApplicationError) else str(cause or err))[:500]
            state = self._state
            assert state is not None
            self._state = state.model_copy(update={"blocked": reason})
            await workflow.execute_activity(
                Action.MARK_BLOCKED.value,
                BlockedInput(case_id=state.case_id, action=action, reason=reason, at=workflow.now()),
                result_type=StepWritten, start_to_close_timeout=timedelta(seconds=30), retry_policy=_MARK_RETRY,
            )
            await workflow.wait_condition(lambda: self._state is None or self._state.blocked is None
                                          or self._state.holding.status is CaseStatus.CLOSED)
            if self._state is None or self._state.holding.status is CaseStatus.CLOSED:
                return _CLOSED

    async def _continue(self) -> None:
        await workflow.wait_condition(workflow.all_handlers_finished)
        assert self._state is not None
        workflow.continue_as_new(CaseStart(case_id=self._state.case_id, state=self._state))

    # ---- a supervisor's updates ---------------------------------------------------------------

    @workflow.update
    async def suspend_deadline(self, cmd: Command[SuspendForm]) -> StepResult:
        return await self._step(Action.SUSPEND, cmd, lambda s: s)

    @suspend_deadline.validator
    def _validate_suspend(self, cmd: Command[SuspendForm]) -> None:
        self._validate(Action.SUSPEND, cmd)

    @workflow.update
    async def resume_deadline(self, cmd: Command[ResumeForm]) -> StepResult:
        return await self._step(Action.RESUME, cmd, lambda s: s)

    @resume_deadline.validator
    def _validate_resume(self, cmd: Command[ResumeForm]) -> None:
        self._validate(Action.RESUME, cmd)

    @workflow.update
    async def extend_deadline(self, cmd: Command[ExtendForm]) -> StepResult:
        return await self._step(Action.EXTEND, cmd, lambda s: s)

    @extend_deadline.validator
    def _validate_extend(self, cmd: Command[ExtendForm]) -> None:
        self._validate(Action.EXTEND, cmd)

    @workflow.update
    async def reassign(self, cmd: Command[ReassignForm]) -> StepResult:
        def move(s: CaseState) -> CaseState:
            return s.model_copy(update={"holding": s.holding.model_copy(update={"assignee_id": cmd.form.assignee_id})})

        return await self._step(Action.REASSIGN, cmd, move, _reassign_check(cmd))

    @reassign.validator
    def _validate_reassign(self, cmd: Command[ReassignForm]) -> None:
        self._validate(Action.REASSIGN, cmd, _reassign_check(cmd))

    @workflow.update
    async def retry_blocked(self, cmd: Command[RetryForm]) -> StepResult:
        return await self._step(Action.RETRY, cmd, lambda s: s.model_copy(update={"blocked": None}))

    @retry_blocked.validator
    def _validate_retry(self, cmd: Command[RetryForm]) -> None:
        self._validate(Action.RETRY, cmd)


def _reassign_check(cmd: Command[ReassignForm]) -> Check:
    return lambda state: rules.check_reassign(state, cmd.form.assignee_id)


class _Closed:
    """Returned by `_background` when the case closed while its automatic work was blocked."""


_CLOSED = _Closed()


def wake_delay(at: datetime) -> timedelta:
    """Time until `at`; never zero or negative (a zero timeout means no timeout at all)."""
    return max(at - workflow.now(), timedelta(milliseconds=1))

