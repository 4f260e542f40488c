"""The grammar of the process table (workflows/process.py) and the one way it is executed.

An `Act` is a row of the table: the action, the form it takes, the steps it may be taken from, the roles that may
take it, what must hold of the case first (`requires`), what must hold of the form (`checks`), where it leads
(`leads`, the first whose `when` holds) and the activity that writes it (`writes`, by reference). The case
workflow validates and moves a case only through `refusal_for` and `move` below, and the API lists what a user
may do now with `may_take`, so the table, the workflow and the API cannot disagree.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from temporalio.exceptions import ApplicationError

from models.payloads.actor import Actor, Command
from models.payloads.base import Payload
from models.payloads.case import CaseState, Position
from models.payloads.jobs import StepRecord, StepSaved
from vocabulary.case import Action, Outcome, Role, Step
from vocabulary.refusal import refuse

F = TypeVar("F", bound=Payload)
# What must hold of the case (and the asker) before the action: raises a refusal otherwise.
Requirement = Callable[[CaseState, Actor], None]
# What must hold of the form, given the case: raises a refusal otherwise.
FormCheck = Callable[[CaseState, Any], None]
# A change of the carried state beyond the move itself (who is assigned, what was approved, ...).
Effect = Callable[[CaseState, Command[Any], datetime], CaseState]
Writes = Callable[[Any, StepRecord[Any]], Awaitable[StepSaved]]


@dataclass(frozen=True)
class StepSpec:
    step: Step
    actors: frozenset[Role]  # who must act while a case waits here
    # False for the steps that act on many cases at once (a monthly run, the oversight of a county).
    holds_cases: bool = True


@dataclass(frozen=True)
class Lead:
    """Where an action leads: a step and who then holds the case, the case's end, or nowhere (it stays)."""

    to: Step | None
    holder: Role | None = None
    outcome: Outcome | None = None
    awaiting_applicant: bool = False
    when: Callable[[Any], bool] | None = None  # over the form; None: always
    label: str | None = None  # the branch, in Chinese, for the diagram ("同意承接")
    effects: tuple[Effect, ...] = ()


def go(step: Step, holder: Role | None, *effects: Effect, when: Callable[[Any], bool] | None = None,
       label: str | None = None) -> Lead:
    return Lead(step, holder, when=when, label=label, effects=effects)


def wait_for_applicant(step: Step) -> Lead:
    return Lead(step, Role.APPLICANT, awaiting_applicant=True)


def end(outcome: Outcome, *, when: Callable[[Any], bool] | None = None, label: str | None = None) -> Lead:
    return Lead(None, outcome=outcome, when=when, label=label)


def stay(*effects: Effect) -> Lead:
    return Lead(None, effects=effects)


@dataclass(frozen=True)
class Act(Generic[F]):
    action: Action
    form: type[F]
    at: frozenset[Step]  # empty: the action opens a new case
    by: frozenset[Role]
    leads: tuple[Lead, ...]
    writes: Writes
    requires: tuple[Requirement, ...] = ()
    checks: tuple[FormCheck, ...] = ()
    # May be taken while the application is back with the applicant for materials.
    while_awaiting_applicant: bool = False
    opens: bool = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "opens", not self.at)


def in_scope(actor: Actor, village_code: str, roles: Iterable[Role]) -> ApplicationError | None:
    """The role may take the action, and the case is inside the actor's jurisdiction (providers: by referral)."""
    roles = frozenset(roles)
    if actor.role not in roles:
        return refuse("wrong_role", f"此操作应由{'、'.join(r.zh for r in sorted(roles))}办理")
    if actor.role is not Role.PROVIDER and not village_code.startswith(actor.jurisdiction):
        return refuse("out_of_jurisdiction", "案件不在您的管辖范围内")
    return None


def refusal_for(act: Act[Any], state: CaseState, actor: Actor) -> ApplicationError | None:
    """Why `actor` may not take `act` on the case as it stands now; None when they may (form checks aside)."""
    p = state.position
    if p.outcome is not None:
        return refuse("case_closed", "案件已办结，不能再办理")
    if p.step not in act.at:
        return refuse("wrong_step", f"案件当前处于“{p.step.zh}”环节，不能办理此操作")
    scoped = in_scope(actor, state.village_code, act.by)
    if scoped is not None:
        return scoped
    if actor.role is Role.PROVIDER and actor.provider_id != p.provider_id:
        return refuse("not_assigned_provider", "本案件未转介给贵机构")
    if actor.role is Role.APPLICANT and actor.person_id != state.person_id:
        return refuse("not_own_case", "申请人只能办理本人的案件")
    if p.awaiting_applicant and not act.while_awaiting_applicant:
        return refuse("awaiting_applicant", "申请材料已退回补充，待申请人补齐后再办理")
    for requirement in act.requires:
        try:
            requirement(state, actor)
        except ApplicationError as refusal:
            return refusal
    return None


def check(act: Act[Any], state: CaseState, cmd: Command[Any]) -> None:
    """Everything a validator can know without I/O; run again under the lock in the handler."""
    refusal = refusal_for(act, state, cmd.actor)
    if refusal is not None:
        raise refusal
    for form_check in act.checks:
        form_check(state, cmd.form)


def lead_of(act: Act[Any], form: Any) -> Lead:
    return next(lead for lead in act.leads if lead.when is None or lead.when(form))


def move(act: Act[Any], state: CaseState, cmd: Command[Any], now: datetime) -> CaseState:
    """The state after `act`: exactly where its table row leads, and nowhere else."""
    lead = lead_of(act, cmd.form)
    p = state.position
    if lead.outcome is not None:
        p = p.model_copy(update={"outcome": lead.outcome, "holder_role": None, "assignee_id": None,
                                 "awaiting_applicant": False})
    elif lead.to is not None:
        p = p.model_copy(update={"step": lead.to, "holder_role": lead.holder,
                                 "awaiting_applicant": lead.awaiting_applicant})
    moved = state.model_copy(update={"position": p})
    for effect in lead.effects:
        moved = effect(moved, cmd, now)
    return moved


def opened(act: Act[Any]) -> Position:
    """The position of a case the opening action has just created."""
    lead = act.leads[0]
    assert act.opens and lead.to is not None
    return Position(step=lead.to, holder_role=lead.holder)


def may_take(acts: Iterable[Act[Any]], state: CaseState, actor: Actor) -> list[Act[Any]]:
    """The actions `actor` may take on the case now, in table order (what the console offers)."""
    return [act for act in acts if not act.opens and refusal_for(act, state, actor) is None]
