"""One task's deadline (a task: work with a working-day limit that is not a step of a case — an objection to
verify, a rectification, a complaint to accept or resolve; models/tasks/tables.py).

Like a monthly statement's approval (workflows/settlement_statement.py), a small workflow per task arms the
escalation rungs of its deadline as durable timers: a reminder to whoever holds it, a notice on the due date,
one to the county after it — each written once per (task, deadline, rung). The task's record and projection are
changed by the requests that act on it, in their own transactions; they signal `changed` so the workflow
re-reads the deadline (an extension, a new holder) or ends (closed). The workflow holds no state of its own
beyond where it is on the ladder, so a lost signal costs only a late re-read at the next rung.
"""

from __future__ import annotations

import contextlib
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy

from models.payloads.case import DeadlinePlan
from models.tasks.payloads import TaskDeadlineInput, TaskEscalateInput, TaskStart
from workflows.task_activities import TaskActivities

_RETRY = RetryPolicy(initial_interval=timedelta(seconds=1), maximum_interval=timedelta(minutes=5))


def task_workflow_id(task_id: Any) -> str:
    return f"task-{task_id}"


@workflow.defn
class TaskWorkflow:
    def __init__(self) -> None:
        self._changed = False

    @workflow.run
    async def run(self, start: TaskStart) -> None:
        while True:
            self._changed = False
            plan: DeadlinePlan | None = await workflow.execute_activity_method(
                TaskActivities.task_deadline, TaskDeadlineInput(task_id=start.task_id, at=workflow.now()),
                start_to_close_timeout=timedelta(seconds=30), retry_policy=_RETRY,
            )
            if plan is None:
                return
            if not await self._climb(start, plan):
                return
            if not self._changed:  # every rung fired: wait for an extension or the end
                await workflow.wait_condition(lambda: self._changed)

    async def _climb(self, start: TaskStart, plan: DeadlinePlan) -> bool:
        """Fire the plan's rungs in order; False once the task is found closed. Returns early on a change."""
        for rung in sorted(plan.rungs, key=lambda r: r.at):
            if rung.at > workflow.now():
                with contextlib.suppress(TimeoutError):  # the rung's time came
                    await workflow.wait_condition(lambda: self._changed, timeout=rung.at - workflow.now())
            if self._changed:
                return True
            still_open: bool = await workflow.execute_activity_method(
                TaskActivities.task_escalate,
                TaskEscalateInput(task_id=start.task_id, deadline=plan, rung=rung.rung, at=workflow.now()),
                start_to_close_timeout=timedelta(seconds=30), retry_policy=_RETRY,
            )
            if not still_open:
                return False
        return True

    @workflow.signal
    def changed(self) -> None:
        self._changed = True
