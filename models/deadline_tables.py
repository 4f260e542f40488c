"""Tables of deadlines and escalation: the working calendar a county loads, its deadline rules, and the
notifications each escalation rung writes (the per-user inbox reads them)."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID, uuid4

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from models.tables import json_column, table_of, tz_column


class CalendarYear(SQLModel, table=True):
    """A year's official schedule loaded by a county officer; takes precedence over the shipped one."""

    __tablename__ = "calendar_years"
    year: int = Field(primary_key=True)
    notice: str  # e.g. 国务院办公厅关于2027年部分节假日安排的通知
    loaded_by: UUID
    loaded_at: datetime = tz_column()


class CalendarDay(SQLModel, table=True):
    __tablename__ = "calendar_days"
    day: date = Field(primary_key=True)
    year: int = Field(foreign_key="calendar_years.year", index=True)
    kind: str  # holiday (a rest day) / workday (a make-up working day, 调休)


class CountyDeadlines(SQLModel, table=True):
    """A county's deadline rules in working days; absent keys fall back to the documented defaults."""

    __tablename__ = "county_deadlines"
    county_code: str = Field(primary_key=True, max_length=6)
    rules: dict[str, int] = json_column()
    updated_by: UUID
    updated_at: datetime = tz_column()


class Notification(SQLModel, table=True):
    """One escalation rung of one deadline, addressed to a user, or to a role within a division."""

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("case_id", "deadline_seq", "rung", name="uq_notification_rung"),
        UniqueConstraint("statement_id", "rung", name="uq_notification_statement_rung"),
        UniqueConstraint("task_id", "deadline_seq", "rung", name="uq_notification_task_rung"),
    )
    id: UUID = Field(default_factory=uuid4, primary_key=True)
    # About a case, a monthly statement awaiting approval, or a task outside any case (models/tasks/tables.py).
    case_id: UUID | None = Field(default=None, foreign_key="cases.id", index=True)
    statement_id: UUID | None = Field(default=None, index=True)
    task_id: UUID | None = Field(default=None, index=True)
    deadline_seq: int
    rung: str  # reminder / due / overdue
    step: str
    due_on: date
    recipient_user_id: UUID | None = Field(default=None, index=True)
    recipient_role: str
    recipient_scope: str = Field(max_length=12)  # the division code the role must cover
    recipient_provider_id: UUID | None = None
    lead_only: bool = False
    message: str
    created_at: datetime = tz_column()


class NotificationRead(SQLModel, table=True):
    __tablename__ = "notification_reads"
    notification_id: UUID = Field(primary_key=True, foreign_key="notifications.id")
    user_id: UUID = Field(primary_key=True)
    read_at: datetime = tz_column()


CALENDAR_YEARS = table_of(CalendarYear)
CALENDAR_DAYS = table_of(CalendarDay)
COUNTY_DEADLINES = table_of(CountyDeadlines)
NOTIFICATIONS = table_of(Notification)
NOTIFICATION_READS = table_of(NotificationRead)
