"""What an action changes in the carried state besides the move itself: each a plain function named in the
process table, on the branch (`Lead`) it belongs to."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from models.payloads.actor import Command
from models.payloads.case import CaseState
from models.payloads.dynamic import Proposal
from vocabulary.case import Role
from vocabulary.dynamic import DecisionResult
from vocabulary.urgent import UrgentState
from workflows.review_timing import next_review_at


def _position(state: CaseState, **changes: Any) -> CaseState:
    return state.model_copy(update={"position": state.position.model_copy(update=changes)})


def assign_to_asker(state: CaseState, cmd: Command[Any], now: datetime) -> CaseState:
    """The worker who registered or approved the case keeps it."""
    return _position(state, assignee_id=cmd.actor.user_id)


def assign_to_named(state: CaseState, cmd: Command[Any], now: datetime) -> CaseState:
    return _position(state, assignee_id=cmd.form.assignee_id)


def unassign(state: CaseState, cmd: Command[Any], now: datetime) -> CaseState:
    """In service the township's queue holds the case, not one worker."""
    return _position(state, assignee_id=None)


def keep_approved_items(state: CaseState, cmd: Command[Any], now: datetime) -> CaseState:
    """The plan may not exceed what the review approved (guards.plan_within_approval)."""
    return state.model_copy(update={"approved": cmd.form.items})


def hand_to_provider(state: CaseState, cmd: Command[Any], now: datetime) -> CaseState:
    return _position(state, provider_id=cmd.form.provider_id)


def remember_decline(state: CaseState, cmd: Command[Any], now: datetime) -> CaseState:
    """A provider that declined is not asked again."""
    declined = state.position.provider_id
    assert declined is not None
    moved = _position(state, provider_id=None)
    return moved.model_copy(update={"declined_by": [*state.declined_by, declined]})


def schedule_monthly_review(state: CaseState, cmd: Command[Any], now: datetime) -> CaseState:
    return state.model_copy(update={"next_review": next_review_at(state.case_id, now)})


def clear_blocked(state: CaseState, cmd: Command[Any], now: datetime) -> CaseState:
    return state.model_copy(update={"blocked": None})


# ---- 动态管理 ------------------------------------------------------------------------------------------


def quiet_unless_task(state: CaseState, cmd: Command[Any], now: datetime) -> CaseState:
    """In service a case waits on nobody, unless a status change came in meanwhile (then the township)."""
    return _position(state, holder_role=Role.TOWNSHIP_WORKER if state.task_events else None)


def start_proposal(state: CaseState, cmd: Command[Any], now: datetime) -> CaseState:
    """The notice goes out with this step; the hearing period's end comes back from its activity."""
    form = cmd.form
    return state.model_copy(update={"proposal": Proposal(
        seq=state.seq + 1, kind=form.kind, items=form.items, effective_on=form.effective_on)})


def statement_recorded(state: CaseState, cmd: Command[Any], now: datetime) -> CaseState:
    assert state.proposal is not None
    return state.model_copy(update={"proposal": state.proposal.model_copy(update={"stated": True})})


def apply_decision(state: CaseState, cmd: Command[Any], now: datetime) -> CaseState:
    """The proposal and the task are settled; a change becomes the plan and waits for the provider's word."""
    update: dict[str, Any] = {"proposal": None, "task_events": []}
    if cmd.form.result is DecisionResult.CHANGE and state.proposal is not None:
        update |= {"approved": state.proposal.items, "unacknowledged": state.seq + 1}
    return state.model_copy(update=update)


def close_task(state: CaseState, cmd: Command[Any], now: datetime) -> CaseState:
    return state.model_copy(update={"task_events": []})


def acknowledged(state: CaseState, cmd: Command[Any], now: datetime) -> CaseState:
    return state.model_copy(update={"unacknowledged": None})


def move_village(state: CaseState, cmd: Command[Any], now: datetime) -> CaseState:
    """The new township's worker takes the task over (its deadline restarts)."""
    moved = _position(state, assignee_id=None)
    return moved.model_copy(update={"village_code": cmd.form.to_village})


# ---- 先行救助 ----------------------------------------------------------------------------------------------


def mark_urgent(state: CaseState, cmd: Command[Any], now: datetime) -> CaseState:
    """A township worker's mark starts the care; a village assistant's waits for the township's confirmation."""
    confirmed = cmd.actor.role is Role.TOWNSHIP_WORKER
    return state.model_copy(update={"urgent": UrgentState.CONFIRMED if confirmed else UrgentState.REQUESTED})


def confirm_urgent(state: CaseState, cmd: Command[Any], now: datetime) -> CaseState:
    return state.model_copy(update={"urgent": UrgentState.CONFIRMED})
