"""What a task's workflow carries and asks its activities (pure pydantic: imported inside the sandbox)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from models.payloads.base import Payload
from models.payloads.case import DeadlinePlan
from vocabulary.case import Rung


class TaskStart(Payload):
    task_id: UUID


class TaskDeadlineInput(Payload):
    task_id: UUID
    at: datetime


class TaskEscalateInput(Payload):
    task_id: UUID
    deadline: DeadlinePlan
    rung: Rung
    at: datetime
