"""The task projection: work with a working-day deadline that is not a step of a case (an objection to verify, a
rectification, a complaint to accept or resolve), one row per task, written in the same transaction as the
change that opens, moves or closes it. The inbox and the supervisor's view read it with SQL over its indexes;
a small workflow per task (workflows/task.py) arms the escalation rungs. Overdue is derived from `due_on`.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from models.tables import table_of, tz_column

_OPEN = text("status = 'open'")


class Task(SQLModel, table=True):
    __tablename__ = "tasks"
    __table_args__ = (
        Index("ix_tasks_open_county_due", "county_code", "due_on", "id", postgresql_where=_OPEN),
        Index("ix_tasks_open_township_due", "township_code", "due_on", "id", postgresql_where=_OPEN),
        Index("ix_tasks_open_holder", "holder_role", "scope_code", postgresql_where=_OPEN),
        Index("ix_tasks_open_provider", "provider_id", postgresql_where=_OPEN),
        Index("ix_tasks_subject", "subject_id"),
    )
    id: UUID = Field(primary_key=True)
    kind: str  # TaskKind
    subject_id: UUID  # the record the task is about (an objection, a rectification, a complaint)
    case_id: UUID | None = None  # the case it concerns, when known
    county_code: str = Field(max_length=6)
    township_code: str | None = Field(default=None, max_length=9)
    # Who must act: a role within a division (scope_code), narrowed to one user or one provider when known.
    holder_role: str
    scope_code: str = Field(max_length=12)
    assignee_id: UUID | None = None
    provider_id: UUID | None = None
    # A summary a case worker reads in the inbox; never a complainant's or recipient's personal data.
    title: str
    rule: str  # the DeadlineRule that times it
    deadline_seq: int = 1  # a new deadline (an extension, a redo) gets its own rungs
    started_on: date
    workdays: int
    due_on: date
    due_provisional: bool = False
    extended: bool = False
    status: str  # TaskStatus
    # Set by the task's workflow when it has armed the rungs; the worker starts the workflow of any open task
    # still unarmed when it starts (a request that saved a task while Temporal was unreachable).
    armed: bool = False
    opened_at: datetime = tz_column()
    updated_at: datetime = tz_column()
    closed_at: datetime | None = tz_column(nullable=True)


TASKS = table_of(Task)
