"""Helpers of the case workflow (workflows/case.py): decoding an update into its table row, what the case wakes
for next (a deadline rung, the monthly review, the end of a hearing period), and an update's answer."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from temporalio import workflow
from temporalio.common import RawValue

from models.payloads.actor import Command
from models.payloads.case import CaseState, StepResult
from models.payloads.jobs import StepSaved, Transition
from vocabulary.case import Rung, Step
from vocabulary.refusal import refuse
from workflows import process
from workflows.hearing import hearing_due
from workflows.transitions import Act
from workflows.visibility import changed_search_attributes, search_attributes

# Runs started before this patch cancel and restart their timer and upsert every attribute at each step; newer
# runs hold one timer (WakeTimer) and upsert only what changed: fewer history events and less server work per step.
QUIET_STEPS = "quiet-steps"


def update_id() -> str:
    info = workflow.current_update_info()
    assert info is not None, "called outside an update handler or validator"
    return info.id


def decode(name: str, args: Sequence[RawValue]) -> tuple[Act[Any], Command[Any]]:
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


def wake_delay(at: datetime) -> timedelta:
    """Time until `at`; never zero or negative (a zero timeout means no timeout at all)."""
    return max(at - workflow.now(), timedelta(milliseconds=1))


class WakeTimer:
    """The one durable timer a case holds for its next wake. A step that moves the wake later keeps it: waking
    early finds nothing due and arms the real time then. Only a wake that comes earlier cancels and re-arms it,
    so most steps add no timer events to the history (a started and a cancelled timer each otherwise)."""

    def __init__(self) -> None:
        self._task: asyncio.Task[None] | None = None
        self._at: datetime | None = None

    def arm(self, at: datetime | None) -> None:
        if self._task is not None and self._task.done():
            self._task = None  # it rang: the round that saw it has done what was due
        if self._task is not None and self._at is not None and (at is None or self._at <= at):
            return  # held: it rings no later than needed
        self.cancel()
        if at is not None:
            self._task, self._at = asyncio.ensure_future(workflow.sleep(wake_delay(at))), at

    def rang(self) -> bool:
        return self._task is not None and self._task.done()

    def cancel(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._task = None


async def wait_for(moved: Callable[[], bool], wake: datetime | None, timer: WakeTimer) -> bool:
    """Wait until `moved()` or the wake time; True when woken by the time rather than by a move."""
    if not workflow.patched(QUIET_STEPS):  # a run started before the patch: a fresh timer for every wait
        try:
            await workflow.wait_condition(moved, timeout=wake_delay(wake) if wake is not None else None)
        except TimeoutError:
            return True
        return False
    timer.arm(wake)
    await workflow.wait_condition(lambda: moved() or timer.rang())
    return timer.rang()


def upsert(state: CaseState) -> None:
    """Keep the case's visibility record in step with its state."""
    if not workflow.patched(QUIET_STEPS):
        workflow.upsert_search_attributes(search_attributes(state))
        return
    changed = changed_search_attributes(state, workflow.info().typed_search_attributes)
    if changed:
        workflow.upsert_search_attributes(changed)


def next_rung(state: CaseState) -> tuple[Rung, datetime] | None:
    """The earliest rung of the running deadline not fired yet (none while the clock is suspended)."""
    plan = state.deadline
    if plan is None or plan.suspended:
        return None
    pending = [(r.rung, r.at) for r in plan.rungs if r.rung not in state.fired]
    return min(pending, key=lambda r: r[1], default=None)


def next_wake(state: CaseState) -> tuple[str, datetime] | None:
    """What the case wakes for next: 'hearing' (its period ends), 'review' (in service) or a rung's name."""
    times: list[tuple[str, datetime]] = []
    rung = next_rung(state)
    if rung is not None:
        times.append((rung[0].value, rung[1]))
    if state.position.step is Step.DYNAMIC_MANAGEMENT and state.next_review is not None:
        times.append(("review", state.next_review))
    hearing = hearing_due(state)
    if hearing is not None:
        times.append(("hearing", hearing))
    return min(times, key=lambda t: t[1], default=None)


def answer(t: Transition, saved: StepSaved) -> StepResult:
    plan = saved.deadline
    return StepResult(case_id=t.case_id, seq=t.seq, position=t.after, at=saved.at, service_no=saved.service_no,
                      due_on=plan.due_on if plan else None, due_provisional=bool(plan and plan.provisional))
