"""Helpers of the case workflow (workflows/case.py): decoding an update into its table row, what the case wakes
for next (a deadline rung, the monthly review, the end of a hearing period), and an update's answer."""

from __future__ import annotations

from collections.abc import Sequence
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
