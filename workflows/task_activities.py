"""What a task's workflow asks of the activities layer, called by reference. The bodies live in
`activities/tasks/`, in a class that subclasses this one."""

from __future__ import annotations

from temporalio import activity

from models.payloads.case import DeadlinePlan
from models.payloads.jobs import CaseIds, CasePageQuery
from models.tasks.payloads import TaskDeadlineInput, TaskEscalateInput

_NOT_HERE = "implemented in activities/tasks/"


class TaskActivities:
    @activity.defn
    async def task_deadline(self, job: TaskDeadlineInput) -> DeadlinePlan | None:
        """The task's running deadline and its rungs; None once the task is closed."""
        raise NotImplementedError(_NOT_HERE)

    @activity.defn
    async def task_escalate(self, job: TaskEscalateInput) -> bool:
        """Write the rung's notification (once per task, deadline and rung); False if the task is closed."""
        raise NotImplementedError(_NOT_HERE)

    @activity.defn
    async def provisional_tasks(self, query: CasePageQuery) -> CaseIds:
        """A page of open tasks whose due date is provisional (after `query.after`, by id)."""
        raise NotImplementedError(_NOT_HERE)
