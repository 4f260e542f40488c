"""Dynamic management's forms (the API's request bodies and the case workflow's update inputs), the status event
a case receives, and the pending proposal a case carries while the recipient is heard."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from pydantic import Field, model_validator

from models.payloads.actor import Actor
from models.payloads.base import DivisionCode, Payload, Text
from models.payloads.forms import ItemQuantity
from vocabulary.dynamic import ChangeKind, DecisionResult, StatementBy, StatusChange


class EventRef(Payload):
    """A recorded status event handed to its case (a signal): ids and codes only, never personal data."""

    event_id: UUID
    change: StatusChange
    effective_on: date
    actor: Actor  # who recorded it (the importer for the roster; the system for the monthly review)
    to_village: DivisionCode | None = None


class Proposal(Payload):
    """A change or stop the township has proposed and not yet decided (its notice was issued at `seq`)."""

    seq: int
    kind: ChangeKind
    items: list[ItemQuantity] = Field(default_factory=list)
    effective_on: date
    hearing_until: datetime | None = None  # None: no hearing needed (adding items)
    stated: bool = False
    lapsed: bool = False

    @property
    def heard(self) -> bool:
        return self.hearing_until is None or self.stated or self.lapsed


def _unique(items: list[ItemQuantity]) -> None:
    if len({i.item_code for i in items}) != len(items):
        raise ValueError("each service item appears once")


class StopForm(Payload):
    """Stopping at the recipient's own signed request (no hearing is owed to a person asking for it)."""

    reason: Text
    requested_on: date
    signed_request: Literal[True]  # the person's signed written request is on file
    effective_on: date


class DismissForm(Payload):
    """The township looked into the status change: the services stay as they are."""

    reason: Text


class ProposeForm(Payload):
    """A proposed change. `items` is the whole plan after the change (empty for a stop)."""

    kind: ChangeKind
    reasons: Text
    facts: Text
    effective_on: date
    items: list[ItemQuantity] = Field(default_factory=list, max_length=14)
    reassessment: Text | None = None  # what the re-assessment found, for added items

    @model_validator(mode="after")
    def _consistent(self) -> ProposeForm:
        _unique(self.items)
        if self.kind is ChangeKind.STOP and self.items:
            raise ValueError("a stop keeps no service items")
        if self.kind is not ChangeKind.STOP and not self.items:
            raise ValueError("a change names the service items that remain")
        if self.kind is ChangeKind.ADD_ITEMS and self.reassessment is None:
            raise ValueError("items are added after a re-assessment: say what it found")
        return self


class StatementForm(Payload):
    """The recipient's statement and defence (陈述、申辩), or their express waiver of it."""

    by: StatementBy
    statement: Text
    waived: bool = False


class DecideForm(Payload):
    result: DecisionResult
    reasons: Text
    statement_considered: Text  # how the statement was weighed (or that none was made in the period)
    effective_on: date


class AcknowledgeForm(Payload):
    note: Text | None = None


class TransferForm(Payload):
    """A move within the county: the case goes to the new village's township."""

    to_village: DivisionCode
    reason: Text


class EventForm(Payload):
    """A status change entered by a township worker or a village assistant (the API's body)."""

    change: StatusChange
    effective_on: date
    evidence: Text
    to_village: DivisionCode | None = None
    category: str | None = Field(default=None, max_length=20)


# ---- the monthly roster's import (workflows/dynamic.py) ----------------------------------------------------


class RosterStart(Payload):
    import_id: UUID
    actor: Actor  # the county officer who imported it: the events' recorder
    imported: bool = False  # a continued run only hands events on
    after: UUID | None = None
    sent: int = 0


class RosterPage(Payload):
    import_id: UUID
    actor: Actor
    after: UUID | None
    limit: int = Field(ge=1, le=1000)


class CaseEvent(Payload):
    case_id: UUID
    event: EventRef


class RosterEvents(Payload):
    items: list[CaseEvent]


class RosterDone(Payload):
    good_rows: int
    bad_rows: int
    events: int
