"""What the case workflow carries from run to run and answers each update with."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import Field

from models.payloads.base import DivisionCode, Payload
from models.payloads.dynamic import EventRef, Proposal
from models.payloads.forms import ItemQuantity
from vocabulary.case import CaseStatus, Outcome, Role, Rung, Step
from vocabulary.urgent import UrgentState


class Position(Payload):
    """Where a case stands in the process: the part of the state the projection row shows."""

    step: Step
    holder_role: Role | None
    assignee_id: UUID | None = None
    provider_id: UUID | None = None
    outcome: Outcome | None = None  # set when the case has ended
    awaiting_applicant: bool = False

    @property
    def status(self) -> CaseStatus:
        return CaseStatus.OPEN if self.outcome is None else CaseStatus.CLOSED


class RungAt(Payload):
    rung: Rung
    at: datetime


class DeadlinePlan(Payload):
    """The current deadline as the workflow arms it. `seq` names the deadline (the transition that started it):
    each rung fires once per (case, seq), however often the plan is recomputed."""

    seq: int
    step: Step
    due_on: date
    provisional: bool
    suspended: bool = False
    extended: bool = False
    rungs: list[RungAt] = Field(default_factory=list)


class CaseState(Payload):
    """Everything a run carries into the next one at continue-as-new; kept small on purpose."""

    case_id: UUID
    person_id: UUID
    village_code: DivisionCode
    position: Position
    seq: int = 0
    approved: list[ItemQuantity] = Field(default_factory=list)
    declined_by: list[UUID] = Field(default_factory=list)
    # The server de-duplicates update ids only within a run: carry the recent ones across runs.
    recent_update_ids: list[str] = Field(default_factory=list)
    last_review_period: str | None = None
    next_review: datetime | None = None
    deadline: DeadlinePlan | None = None
    fired: list[Rung] = Field(default_factory=list)
    blocked: str | None = None
    # 动态管理: status events received and not yet taken in; the events of the open task; the proposal being
    # heard or decided; a change decision the provider has not acknowledged yet (its seq).
    pending_events: list[EventRef] = Field(default_factory=list)
    task_events: list[UUID] = Field(default_factory=list)
    proposal: Proposal | None = None
    unacknowledged: int | None = None
    # 先行救助: marked urgent (requested by the assistant, or confirmed by the township); None: the ordinary path.
    urgent: UrgentState | None = None


class CaseStart(Payload):
    """Workflow input: a new case (state None, filled by the open update) or a continued one."""

    case_id: UUID
    state: CaseState | None = None


class StepResult(Payload):
    """An update's answer: where the case now stands and its deadline."""

    case_id: UUID
    seq: int
    position: Position
    at: datetime
    service_no: str | None = None
    due_on: date | None = None
    due_provisional: bool = False
