"""One case, one durable workflow, executing the process table of workflows/process.py.

Every person's action arrives as a Workflow Update named after the action. One handler serves them all: it looks
the action up in the table (an action not declared there is refused), its validator refuses a wrong step, role,
jurisdiction, provider or form before anything is written, and the accepted update runs the action's activity by
reference — a local activity writing the record, the case projection, the audit row and the next deadline in
one transaction, idempotent on (case_id, seq) — and only then moves the state to where the table leads.

Between updates the case sleeps until its next deadline rung, the end of a hearing period (陈述申辩) or, in service,
its monthly review (then it continues-as-new: its history stays bounded). Status events (动态管理) arrive as
signals, taken in one at a time (workflows/hearing.py). It runs outside the sandbox: see the class.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RawValue
from temporalio.exceptions import ActivityError, ApplicationError

from models.payloads.actor import Actor, Command
from models.payloads.case import CaseStart, CaseState, DeadlinePlan, Position, StepResult
from models.payloads.dynamic import EventRef
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
from vocabulary.case import Action, Role, Rung
from vocabulary.refusal import refuse
from workflows import hearing, process, transitions
from workflows.case_activities import CaseActivities
from workflows.case_retries import BACKGROUND_RETRY, MARK_RETRY, STEP_RETRY
from workflows.case_timers import QUIET_STEPS, WakeTimer, answer, decode, next_wake, update_id, upsert, wait_for
from workflows.review_timing import next_review_at, period_of
from workflows.transitions import Act
from workflows.visibility import case_id_of

RECENT_UPDATES = 64
UNAVAILABLE = "system_unavailable"  # a transient fault: the API answers 503 and nothing is recorded
_CLOSED = object()  # what automatic work answers when the case closed while it was blocked
_AGAIN_AFTER = timedelta(minutes=1)  # before a transition of its own that could not be written is tried again


# Unsandboxed (the sandbox cost ~20 ms of worker CPU per case); import contracts + tests/replay keep it pure.
@workflow.defn(sandboxed=False)
class CaseWorkflow:
    @workflow.init
    def __init__(self, start: CaseStart) -> None:
        self._state = start.state
        self._events: list[EventRef] = list(start.state.pending_events) if start.state else []
        self._open_failed = False
        self._recompute = False
        self._lock = asyncio.Lock()
        self._timer = WakeTimer()

    @workflow.run
    async def run(self, start: CaseStart) -> Position | None:
        workflow.patched(QUIET_STEPS)  # decided here, at the run's first task, for the whole run
        await workflow.wait_condition(lambda: self._state is not None or self._open_failed)
        while self._state is not None and self._state.position.outcome is None:
            await self._sleep_then_do_what_is_due(self._state)
        self._timer.cancel()
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self._state.position if self._state else None

    @workflow.query
    def state(self) -> CaseState | None:
        return self._state

    @workflow.signal
    def recompute_deadline(self) -> None:
        """Sent when a year's calendar is loaded: provisional deadlines become final."""
        self._recompute = True

    @workflow.signal
    def status_event(self, event: EventRef) -> None:
        """A recorded status change of the recipient (动态管理); taken in by the loop, once per event."""
        if all(e.event_id != event.event_id for e in self._events):
            self._events.append(event)

    # ---- a person's action: one update per row of the process table ---------------------------------------

    @workflow.update(dynamic=True)
    async def take(self, name: str, args: Sequence[RawValue]) -> StepResult:
        act, cmd = decode(name, args)
        async with self._lock:  # an earlier update may have moved the case while this one waited
            if act.opens:
                return await self._open(act, cmd)
            state = self._known()
            if update_id() in state.recent_update_ids:  # a retried request already applied: no new write
                return StepResult(case_id=state.case_id, seq=state.seq, position=state.position, at=workflow.now())
            transitions.check(act, state, cmd)
            moved = transitions.move(act, state, cmd, workflow.now())
            t = Transition(case_id=state.case_id, seq=state.seq + 1, action=act.action, actor=cmd.actor,
                           before=state.position, after=moved.position, at=workflow.now())
            saved = await self._write(act.writes, StepRecord[Any](transition=t, form=cmd.form,
                                                                     request=cmd.request))
            if saved.hearing_until is not None and moved.proposal is not None:  # the notice went out
                moved = moved.model_copy(update={"proposal": moved.proposal.model_copy(
                    update={"hearing_until": saved.hearing_until})})
            recent = [*state.recent_update_ids, update_id()][-RECENT_UPDATES:]
            self._set_state(moved.model_copy(update={"seq": t.seq, "recent_update_ids": recent}), saved.deadline)
            return answer(t, saved)

    @take.validator
    def _validate(self, name: str, args: Sequence[RawValue]) -> None:
        act, cmd = decode(name, args)
        if act.opens:
            self._check_open(cmd)
            return
        state = self._known()
        if update_id() not in state.recent_update_ids:
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
            saved = await self._write(act.writes, StepRecord[Any](transition=t, form=cmd.form,
                                                                  request=cmd.request))
        except ApplicationError as refusal:  # e.g. an open case already: it ends empty; transient: a retry opens
            self._open_failed = refusal.type != UNAVAILABLE
            raise
        self._set_state(state.model_copy(update={"recent_update_ids": [update_id()]}), saved.deadline)
        return answer(t, saved)

    async def _write(self, writes: Any, record: StepRecord[Any]) -> StepSaved:
        try:
            saved: StepSaved = await workflow.execute_local_activity_method(
                writes, record, start_to_close_timeout=timedelta(seconds=10), retry_policy=STEP_RETRY)
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
        upsert(self._state)

    # ---- the workflow's own transitions (动态管理): a status event, a lapsed hearing -------------------------

    async def _own_step(self, action: Action, writes: Any, form: Any, moved: CaseState, actor: Actor) -> None:
        """Write and take a transition of the workflow's own, as an update would; a refusal (e.g. the event was
        taken in already) drops it, a failure to write waits a minute and lets the loop try again."""
        state = self._known()
        t = Transition(case_id=state.case_id, seq=state.seq + 1, action=action, actor=actor,
                       before=state.position, after=moved.position, at=workflow.now())
        try:
            saved = await self._write(writes, StepRecord[Any](transition=t, form=form))
        except ApplicationError as refusal:
            if refusal.type == "system_unavailable":
                await workflow.sleep(_AGAIN_AFTER)
                raise
            return
        self._set_state(moved.model_copy(update={"seq": t.seq}), saved.deadline)

    async def _take_event(self, event: EventRef) -> None:
        async with self._lock:
            state = self._known()
            try:
                if state.position.outcome is None and event.event_id not in state.task_events:
                    await self._own_step(Action.OPEN_TASK, CaseActivities.take_status_event, event,
                                         hearing.after_event(state, event), event.actor)
            except ApplicationError:
                return  # kept: the loop takes it in again
            self._events = [e for e in self._events if e.event_id != event.event_id]

    async def _lapse(self) -> None:
        async with self._lock:
            state = self._known()
            if state.proposal is None or hearing.hearing_due(state) is None:
                return
            with contextlib.suppress(ApplicationError):  # not written: the loop tries again
                await self._own_step(Action.HEARING_LAPSED, CaseActivities.hearing_lapsed, state.proposal,
                                     hearing.after_lapse(state), hearing.system_actor(state.village_code))

    # ---- the workflow's own work: deadline rungs, the monthly review, recomputation -------------------------

    async def _sleep_then_do_what_is_due(self, state: CaseState) -> None:
        if self._recompute:
            await self._recompute_deadline()
            return
        if self._events:
            await self._take_event(self._events[0])
            return
        wake = next_wake(state)
        if wake is not None and wake[1] <= workflow.now():
            if wake[0] == "hearing":
                await self._lapse()
            elif wake[0] == "review":
                await self._review()
            else:
                await self._escalate(Rung(wake[0]))
            return
        if await wait_for(lambda: self._state is not state or self._recompute or bool(self._events)
                          or workflow.info().is_continue_as_new_suggested(),
                          wake[1] if wake is not None else None, self._timer):
            return  # the wake time came (or, for a held timer, maybe came): the next round does what is due
        if self._state is state and not self._recompute and not self._events:
            await self._continue()  # nothing moved: the history is long, start a fresh run

    async def _review(self) -> None:
        state = self._known()
        now = workflow.now()
        period = period_of(now)
        if state.last_review_period != period:
            job = ReviewDue(case_id=state.case_id, period=period, at=now)
            outcome = await self._automatically(Action.MONTHLY_REVIEW, CaseActivities.monthly_review, job)
            if not isinstance(outcome, ReviewOutcome):
                return
            if outcome.event is not None:  # no longer eligible: the township's task opens in the next run
                self.status_event(outcome.event)
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
                    activity, job, start_to_close_timeout=timedelta(seconds=30), retry_policy=BACKGROUND_RETRY)
            except ActivityError as err:
                cause = err.cause
                reason = (cause.message if isinstance(cause, ApplicationError) else str(cause or err))[:500]
            state = self._known()
            self._state = state.model_copy(update={"blocked": reason})
            await workflow.execute_activity_method(
                CaseActivities.mark_blocked,
                BlockedInput(case_id=state.case_id, action=action, reason=reason, at=workflow.now()),
                start_to_close_timeout=timedelta(seconds=30), retry_policy=MARK_RETRY,
            )
            await workflow.wait_condition(lambda: self._state is None or self._state.blocked is None
                                          or self._state.position.outcome is not None)
            if self._state is None or self._state.position.outcome is not None:
                return _CLOSED

    async def _continue(self) -> None:
        await workflow.wait_condition(workflow.all_handlers_finished)
        state = self._known().model_copy(update={"pending_events": self._events})
        workflow.continue_as_new(CaseStart(case_id=state.case_id, state=state))
