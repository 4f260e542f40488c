"""API schemas: what the HTTP API accepts and returns. Step request bodies are the step forms of
`payloads` (validated at the edge by the same model the workflow validates); everything else is here."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from models.payloads.case import Position, StepResult
from models.process_schemas import ActionOut
from policy import idnumber
from vocabulary.case import Channel, DocumentKind, Step
from vocabulary.china import CHINA
from vocabulary.people import Category, Condition

_ID_PROBLEM = {
    "format": "身份证号码应为18位，前17位为数字，末位为数字或X",
    "check_digit": "身份证号码校验位错误，请核对",
    "birth_date": "身份证号码中的出生日期无效（不是有效日期，或晚于今天）",
}


def _valid_id_number(value: str) -> str:
    try:
        idnumber.parse(value, today=datetime.now(CHINA).date())
    except idnumber.InvalidIdNumber as exc:
        raise ValueError(_ID_PROBLEM[str(exc)]) from None
    return idnumber.normalize(value)


IdNumber = Annotated[str, StringConstraints(strip_whitespace=True, max_length=18), AfterValidator(_valid_id_number)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=40)]


class Schema(BaseModel):
    """Request bodies: unknown fields are refused, so a typo is an error instead of silently lost data."""

    model_config = ConfigDict(extra="forbid")


class Out(BaseModel):
    """Responses: built from rows that may carry more columns than are shown."""

    model_config = ConfigDict(from_attributes=True)


class Token(Out):
    access_token: str
    token_type: str = "bearer"
    role: str
    full_name: str
    jurisdiction: str


class PersonIn(Schema):
    name: Name
    id_number: IdNumber
    village_code: Annotated[str, StringConstraints(pattern=r"^\d{12}$")]
    category: Category
    conditions: list[Condition] = Field(default_factory=list, max_length=3)


class CaseCreate(Schema):
    """An application (window / online) or a discovery report. Applicants apply for themselves and leave
    `person` out; workers and assistants give the person's details."""

    channel: Channel
    need_description: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
    person: PersonIn | None = None


class StepOut(Out):
    case_id: UUID
    seq: int
    step: Step
    step_zh: str
    status: str
    outcome: str | None
    holder_role: str | None
    assignee_id: UUID | None
    provider_id: UUID | None
    awaiting_applicant: bool
    at: datetime
    service_no: str | None = None
    due_on: date | None = None
    due_provisional: bool = False

    @classmethod
    def of(cls, result: StepResult) -> StepOut:
        h: Position = result.position
        return cls(
            case_id=result.case_id, seq=result.seq, step=h.step, step_zh=h.step.zh, status=h.status.value,
            outcome=h.outcome.value if h.outcome else None, holder_role=h.holder_role, assignee_id=h.assignee_id,
            provider_id=h.provider_id, awaiting_applicant=h.awaiting_applicant, at=result.at,
            service_no=result.service_no, due_on=result.due_on, due_provisional=result.due_provisional,
        )


class CasePublic(Out):
    id: UUID
    person_id: UUID
    person_name: str
    channel: str
    step: Step
    step_zh: str
    status: str
    outcome: str | None
    holder_role: str | None
    assignee_id: UUID | None
    provider_id: UUID | None
    awaiting_applicant: bool
    county_code: str
    township_code: str
    village_code: str
    need_category: str | None
    # 先行救助: "requested" (an assistant's, awaiting the township) or "confirmed"; None on the ordinary path.
    urgent: str | None = None
    service_no: str | None
    due_on: date | None
    # The due date was computed on weekdays because a year's holiday schedule is not published yet.
    due_provisional: bool
    deadline_suspended: bool
    deadline_extended: bool
    blocked_reason: str | None
    opened_at: datetime
    updated_at: datetime
    closed_at: datetime | None


class HistoryEntry(Out):
    seq: int
    action: str
    action_zh: str
    step_before: Step | None
    step_after: Step
    actor_id: UUID
    actor_name: str | None
    actor_role: str
    at: datetime


class ClosureOut(Out):
    outcome: str
    reason: str
    hearing_record: str | None
    effective_on: date | None
    decided_at: datetime


class CaseDetail(CasePublic):
    history: list[HistoryEntry]
    # What the applicant still has to bring, while the application is returned for materials.
    materials_missing: list[str]
    # How the case ended, in writing (a refusal's reasons, a stop decision with the hearing record).
    closure: ClosureOut | None
    # What the asking user may do to the case now (from the process table the workflow runs).
    available_actions: list[ActionOut]
    # The person's earlier cases (e.g. services stopped, then applied again), newest first.
    earlier_cases: list[UUID] = []


class CasePage(Out):
    items: list[CasePublic]
    total: int
    limit: int
    offset: int


class ServiceRecordIn(Schema):
    item_code: Annotated[str, StringConstraints(pattern=r"^[a-z_]{2,32}$")]
    started_at: datetime
    minutes: int = Field(ge=1, le=24 * 60)
    quantity: int = Field(default=1, ge=1, le=100)
    worker_name: Name
    content: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class ServiceRecordOut(Out):
    id: UUID
    case_id: UUID
    provider_id: UUID
    item_code: str
    started_at: datetime
    minutes: int
    quantity: int
    worker_name: str
    content: str
    confirmed_by: str | None
    confirmed_at: datetime | None
    recorded_at: datetime


class ConfirmIn(Schema):
    by: Annotated[str, StringConstraints(pattern=r"^(recipient|village_assistant)$")]


class FileOut(Out):
    id: UUID
    kind: DocumentKind
    filename: str
    size: int
    sha256: str


class ArchiveDocumentOut(Out):
    kind: DocumentKind
    file_id: UUID | None
    missing_reason: str | None


class ArchiveOut(Out):
    case_id: UUID
    service_no: str
    provider_id: UUID
    created_at: datetime
    documents: list[ArchiveDocumentOut]


class ServiceItemOut(Out):
    code: str
    category: str
    name: str
    unit: str
    government_funded: bool
    overlaps_benefits: list[str]


class ProviderOut(Out):
    id: UUID
    code: str
    name: str
    kind: str
