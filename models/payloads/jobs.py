"""What the case workflow hands its activities, and what they answer."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Generic
from uuid import UUID

from pydantic import Field, StringConstraints

from models.payloads.actor import Actor, FormT, RequestKey
from models.payloads.base import Payload
from models.payloads.case import DeadlinePlan, Position
from models.payloads.dynamic import EventRef
from vocabulary.case import Action, Rung


class Transition(Payload):
    """One step of a case as the activity writes it: the business key is (case_id, seq)."""

    case_id: UUID
    seq: int
    action: Action
    actor: Actor
    before: Position | None
    after: Position
    at: datetime


class StepRecord(Payload, Generic[FormT]):
    """A transition and the form that caused it: what a step's activity writes, in one transaction."""

    transition: Transition
    form: FormT
    request: RequestKey | None = None  # the client's key, kept with the answer in the step's transaction


class StepSaved(Payload):
    """A step's activity's answer: when it was written, the service number it drew, the deadline now running."""

    at: datetime
    service_no: str | None = None
    deadline: DeadlinePlan | None = None
    hearing_until: datetime | None = None  # a notice was issued: the end of the hearing period


class EscalateInput(Payload):
    case_id: UUID
    deadline: DeadlinePlan
    rung: Rung
    at: datetime


class BlockedInput(Payload):
    case_id: UUID
    action: Action
    reason: Annotated[str, StringConstraints(max_length=500)]
    at: datetime


class RecomputeInput(Payload):
    case_id: UUID
    at: datetime


class ReviewDue(Payload):
    case_id: UUID
    at: datetime
    period: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}$")]


class ReviewOutcome(Payload):
    still_eligible: bool
    event: EventRef | None = None  # no longer eligible: the status event that opens the task


class ReloadInput(Payload):
    """A year's calendar was loaded: every open case with a provisional deadline is recomputed."""

    year: int
    after: UUID | None = None  # where a continued run resumes
    signalled: int = 0


class CasePageQuery(Payload):
    after: UUID | None
    limit: int = Field(ge=1, le=1000)


class CaseIds(Payload):
    ids: list[UUID]
