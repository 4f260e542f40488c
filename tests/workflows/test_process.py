"""The process table (workflows/process.py) is the process: its steps, and every move it allows — and no
other. Pure: the table's rules are checked over every step, role and standing without a server; that the
workflow executes nothing but the table is tests/workflows/test_case_workflow.py."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest
from temporalio.exceptions import ApplicationError

from models.payloads.actor import Actor, Command
from models.payloads.case import CaseState, DeadlinePlan, Position
from models.payloads.forms import ItemQuantity, RespondForm, ReviewForm
from tests.flow import APPROVE
from vocabulary.case import Action, Outcome, Role, Step
from workflows import process
from workflows.case_activities import CaseActivities
from workflows.diagram import mermaid
from workflows.transitions import Act, check, lead_of, may_take, move, refusal_for

VILLAGE = "341702001001"
PROVIDER = uuid.uuid4()
PERSON = uuid.uuid4()
NOW = datetime(2026, 3, 9, 10, tzinfo=UTC)


def test_ten_steps_declared_once_in_order() -> None:
    assert [s.step for s in process.STEPS] == list(Step)
    assert [s.step.number for s in process.STEPS] == list(range(1, 11))
    assert [s.step.zh for s in process.STEPS][:5] == [
        "个人申请或主动发现", "受理登记", "入户调查", "审核确认", "转介服务"]


def test_every_action_of_a_person_is_in_the_table_once() -> None:
    automatic = {Action.MONTHLY_REVIEW, Action.ESCALATE, Action.RECOMPUTE, Action.MARK_BLOCKED, Action.OPEN_TASK,
                 Action.HEARING_LAPSED}
    assert sorted(a.action for a in process.ACTIONS) == sorted(set(Action) - automatic)
    assert len(process.BY_NAME) == len(process.ACTIONS)


def targets(act: Act[Any]) -> set[Step | Outcome | None]:
    return {lead.outcome or lead.to for lead in act.leads}


def test_the_intake_runs_forward_one_step_at_a_time() -> None:
    order = list(Step)
    for act in process.ACTIONS:
        for source, target in itertools.product(act.at or {Step.APPLICATION}, targets(act)):
            if isinstance(target, Step):  # a step may lead to itself (returned, declined) or to the next one
                nxt = order.index(source) + 1
                assert target in (source, order[nxt], Step.DYNAMIC_MANAGEMENT), (act.action, source, target)
    # Settlement and oversight act on many cases at once: no move leads a case into them.
    assert not any({Step.SETTLEMENT, Step.OVERSIGHT} & targets(a) for a in process.ACTIONS)
    # A death ends a case by the workflow's own transition (workflows/hearing.py), not by a person's action.
    assert {o for a in process.ACTIONS for o in targets(a) if isinstance(o, Outcome)} == set(Outcome) - {
        Outcome.DECEASED}


def actor(role: Role, *, provider: uuid.UUID | None = None, lead: bool = False, person: uuid.UUID | None = None,
          jurisdiction: str = VILLAGE[:9]) -> Actor:
    if role in (Role.PROVIDER, Role.COUNTY_OFFICER, Role.AUDITOR):
        jurisdiction = VILLAGE[:6]
    if role in (Role.APPLICANT, Role.VILLAGE_ASSISTANT):
        jurisdiction = VILLAGE
    return Actor(user_id=uuid.uuid4(), role=role, jurisdiction=jurisdiction, provider_id=provider, person_id=person,
                 lead=lead)


def states() -> list[CaseState]:
    """A case in every open step, held by each role, with and without a deadline, suspended, blocked."""
    out = []
    plan = DeadlinePlan(seq=1, step=Step.SURVEY, due_on=date(2026, 3, 12), provisional=False)
    for spec in process.STEPS:
        for holder, awaiting, deadline, blocked in itertools.product(
                [Role.TOWNSHIP_WORKER, Role.VILLAGE_ASSISTANT, Role.PROVIDER, Role.APPLICANT], [False, True],
                [None, plan, plan.model_copy(update={"suspended": True, "extended": True})], [None, "escalate"]):
            position = Position(step=spec.step, holder_role=holder, provider_id=PROVIDER, awaiting_applicant=awaiting)
            out.append(CaseState(case_id=uuid.uuid4(), person_id=PERSON, village_code=VILLAGE, position=position,
                                 deadline=deadline, blocked=blocked))
    return out


ASKERS = [actor(Role.TOWNSHIP_WORKER), actor(Role.TOWNSHIP_WORKER, lead=True), actor(Role.VILLAGE_ASSISTANT),
          actor(Role.COUNTY_OFFICER), actor(Role.PROVIDER, provider=PROVIDER), actor(Role.APPLICANT, person=PERSON),
          actor(Role.AUDITOR)]


def test_nothing_is_allowed_that_the_table_does_not_declare() -> None:
    allowed = 0
    for state, asker, act in itertools.product(states(), ASKERS, process.ACTIONS):
        if act.opens:
            continue
        if refusal_for(act, state, asker) is None:
            allowed += 1
            assert state.position.step in act.at and asker.role in act.by, (act.action, state.position, asker.role)
            assert not state.position.awaiting_applicant or act.while_awaiting_applicant
    assert allowed > 100  # the generator really reaches the allowed moves too


def test_a_foreign_or_unassigned_asker_is_refused_everywhere() -> None:
    for state, act in itertools.product(states(), process.ACTIONS):
        if act.opens:
            continue
        foreign = [actor(Role.TOWNSHIP_WORKER, lead=True, jurisdiction="341702002"),
                   actor(Role.PROVIDER, provider=uuid.uuid4()), actor(Role.APPLICANT, person=uuid.uuid4())]
        for asker in foreign:
            assert refusal_for(act, state, asker) is not None, (act.action, asker.role)


def test_moves_lead_only_where_the_table_says() -> None:
    review = process.REVIEW
    state = CaseState(case_id=uuid.uuid4(), person_id=PERSON, village_code=VILLAGE,
                      position=Position(step=Step.REVIEW, holder_role=Role.TOWNSHIP_WORKER))
    worker = actor(Role.TOWNSHIP_WORKER)
    approve = ReviewForm.model_validate(APPROVE)
    moved = move(review, state, Command[Any](actor=worker, form=approve), NOW)
    assert (moved.position.step, moved.position.holder_role, moved.position.assignee_id) == (
        Step.REFERRAL, Role.TOWNSHIP_WORKER, worker.user_id)
    assert moved.approved == [ItemQuantity(item_code=i["item_code"], quantity_per_month=i["quantity_per_month"])
                              for i in APPROVE["items"]]
    refuse_form = ReviewForm.model_validate({"decision": "refuse", "reasons": "不符合条件"})
    closed = move(review, state, Command[Any](actor=worker, form=refuse_form), NOW)
    assert (closed.position.outcome, closed.position.holder_role, closed.approved) == (Outcome.REFUSED, None, [])
    decline = lead_of(process.RESPOND, RespondForm(accept=False, reason="人手不足"))
    assert (decline.to, decline.holder) == (Step.REFERRAL, Role.TOWNSHIP_WORKER)


def test_form_checks_refuse_with_a_code() -> None:
    state = CaseState(case_id=uuid.uuid4(), person_id=PERSON, village_code=VILLAGE,
                      position=Position(step=Step.REFERRAL, holder_role=Role.TOWNSHIP_WORKER),
                      declined_by=[PROVIDER])
    with pytest.raises(ApplicationError) as refused:
        check(process.REFER, state, Command[Any](actor=actor(Role.TOWNSHIP_WORKER),
                                                  form=process.REFER.form(provider_id=PROVIDER)))
    assert refused.value.type == "provider_declined"


def test_what_a_user_may_do_now_is_the_table_read_for_them() -> None:
    state = CaseState(case_id=uuid.uuid4(), person_id=PERSON, village_code=VILLAGE,
                      position=Position(step=Step.REGISTRATION, holder_role=Role.TOWNSHIP_WORKER))
    names = {a.action for a in may_take(process.ACTIONS, state, actor(Role.TOWNSHIP_WORKER))}
    assert names == {Action.REGISTER, Action.RETURN_INCOMPLETE, Action.WITHDRAW, Action.MARK_URGENT}
    assert {a.action for a in may_take(process.ACTIONS, state, actor(Role.PROVIDER, provider=PROVIDER))} == set()


def test_every_activity_the_table_calls_is_a_declared_stub() -> None:
    stubs = {name for name, fn in vars(CaseActivities).items() if hasattr(fn, "__temporal_activity_definition")}
    assert {a.writes.__name__ for a in process.ACTIONS} <= stubs


def test_the_diagram_is_drawn_from_the_table() -> None:
    chart = mermaid(process.STEPS, process.ACTIONS)
    for spec in process.STEPS:
        assert f"{spec.step.value}[" in chart and spec.step.zh in chart
    assert 'registration -- "受理登记" --> survey' in chart
    assert 'review -- "审核确认（不予确认）" --> end_refused' in chart
    assert "suspend" not in chart  # the supervisor's moves stay where they are: not drawn
    assert 'application -- "提出申请" --> registration' in chart
