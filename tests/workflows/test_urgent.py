"""The urgent path's rows of the process table (先行救助), read without Temporal: who may mark a case urgent and
when, the assistant's mark waiting for the township, and the case staying where it is."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from temporalio.exceptions import ApplicationError

from models.payloads.actor import Actor, Command
from models.payloads.case import CaseState, Position
from models.payloads.urgent import ConfirmUrgentForm, UrgentForm
from vocabulary.case import Role, Step
from vocabulary.urgent import UrgentReason, UrgentState
from workflows import process
from workflows.transitions import check, move, refusal_for

VILLAGE = "341702001001"
NOW = datetime(2026, 6, 8, 2, tzinfo=UTC)
FORM = UrgentForm(reason=UrgentReason.ACCIDENT, details="独居老人摔伤，短期无人照料", provider_id=uuid.uuid4(),
                  items=[{"item_code": "cleaning_aid", "quantity_per_month": 8}])


def actor(role: Role) -> Actor:
    where = VILLAGE if role is Role.VILLAGE_ASSISTANT else VILLAGE[:9]
    return Actor(user_id=uuid.uuid4(), role=role, jurisdiction=where)


def case(step: Step, urgent: UrgentState | None = None) -> CaseState:
    return CaseState(case_id=uuid.uuid4(), person_id=uuid.uuid4(), village_code=VILLAGE,
                     position=Position(step=step, holder_role=Role.TOWNSHIP_WORKER), urgent=urgent)


def test_township_marks_and_the_case_stays_where_it_is() -> None:
    state = case(Step.SURVEY)
    cmd = Command[Any](actor=actor(Role.TOWNSHIP_WORKER), form=FORM)
    check(process.MARK_URGENT, state, cmd)
    moved = move(process.MARK_URGENT, state, cmd, NOW)
    assert moved.position == state.position and moved.urgent is UrgentState.CONFIRMED
    refusal = refusal_for(process.MARK_URGENT, moved, actor(Role.TOWNSHIP_WORKER))
    assert refusal is not None and refusal.type == "already_urgent"


def test_an_assistants_mark_waits_for_the_township() -> None:
    state = case(Step.REGISTRATION)
    asked = move(process.MARK_URGENT, state, Command[Any](actor=actor(Role.VILLAGE_ASSISTANT), form=FORM),
                 NOW)
    assert asked.urgent is UrgentState.REQUESTED
    assert refusal_for(process.CONFIRM_URGENT, asked, actor(Role.VILLAGE_ASSISTANT)) is not None  # not theirs
    confirm = Command[Any](actor=actor(Role.TOWNSHIP_WORKER), form=ConfirmUrgentForm())
    check(process.CONFIRM_URGENT, asked.model_copy(update={"position": Position(step=Step.REVIEW,
                                                                                 holder_role=Role.TOWNSHIP_WORKER)}),
          confirm)  # the request may be confirmed while the review waits
    assert move(process.CONFIRM_URGENT, asked, confirm, NOW).urgent \
        is UrgentState.CONFIRMED
    with pytest.raises(ApplicationError) as nothing:
        check(process.CONFIRM_URGENT, state, confirm)
    assert nothing.value.type == "no_urgent_request"


@pytest.mark.parametrize("step", [Step.REVIEW, Step.REFERRAL, Step.SERVICE, Step.DYNAMIC_MANAGEMENT])
def test_not_from_the_review_on(step: Step) -> None:
    refusal = refusal_for(process.MARK_URGENT, case(step), actor(Role.TOWNSHIP_WORKER))
    assert refusal is not None and refusal.type == "wrong_step"
