"""The case workflow's own transitions in 动态管理, as pure functions: a status event taken in (it opens the
township's task, or ends the case on a death) and a hearing period that lapsed. Like a person's action, each is
written by a local activity (audit row, projection, deadline) before the state moves."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from models.payloads.actor import Actor
from models.payloads.case import CaseState
from models.payloads.dynamic import EventRef
from vocabulary.case import Outcome, Role, Step
from vocabulary.dynamic import StatusChange

# The actor of the workflow's own transitions (a lapsed hearing, the monthly review's finding): nobody's user.
SYSTEM_USER = UUID(int=0)


def system_actor(village_code: str) -> Actor:
    return Actor(user_id=SYSTEM_USER, role=Role.COUNTY_OFFICER, jurisdiction=village_code[:6])


def after_event(state: CaseState, event: EventRef) -> CaseState:
    """A death ends the case from the date of death (no hearing is owed); any other change opens (or joins) the
    township's task on a case in 动态管理 — while the recipient is being heard the case stays with them. In
    an earlier step the event is kept for the task that opens when the case reaches 动态管理."""
    p = state.position
    events = [*state.task_events, event.event_id]
    if event.change is StatusChange.DEATH:
        p = p.model_copy(update={"outcome": Outcome.DECEASED, "holder_role": None, "assignee_id": None,
                                 "awaiting_applicant": False})
    elif p.step is Step.DYNAMIC_MANAGEMENT and p.holder_role is None:
        p = p.model_copy(update={"holder_role": Role.TOWNSHIP_WORKER})
    return state.model_copy(update={"position": p, "task_events": events})


def hearing_due(state: CaseState) -> datetime | None:
    """When the running hearing period ends (None: no hearing running)."""
    proposal = state.proposal
    if proposal is None or proposal.hearing_until is None or proposal.stated or proposal.lapsed:
        return None
    return proposal.hearing_until


def after_lapse(state: CaseState) -> CaseState:
    """Nothing was stated in the period: the township decides now, under its decision deadline."""
    assert state.proposal is not None
    p = state.position.model_copy(update={"holder_role": Role.TOWNSHIP_WORKER})
    return state.model_copy(update={"position": p, "proposal": state.proposal.model_copy(update={"lapsed": True})})
