"""When a county officer loads a year's holiday schedule, every open case whose deadline was computed on
weekdays (provisional) is told to recompute it, and so is every open task outside a case (workflows/task.py) whose
due date is provisional. Durable: a crash half-way resumes where it stopped."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from uuid import UUID

from temporalio import workflow

from models.payloads.jobs import CaseIds, CasePageQuery, ReloadInput
from workflows.case import CaseWorkflow
from workflows.case_activities import CaseActivities
from workflows.task import TaskWorkflow, task_workflow_id
from workflows.task_activities import TaskActivities
from workflows.visibility import case_workflow_id

PAGE = 200


@workflow.defn
class CalendarReloadWorkflow:
    @workflow.run
    async def run(self, job: ReloadInput) -> int:
        after, signalled = job.after, job.signalled
        while True:
            page: CaseIds = await workflow.execute_activity_method(
                CaseActivities.provisional_cases, CasePageQuery(after=after, limit=PAGE),
                start_to_close_timeout=timedelta(seconds=30),
            )
            await asyncio.gather(*(self._signal(case_id) for case_id in page.ids))
            signalled += len(page.ids)
            if len(page.ids) < PAGE:
                if workflow.patched("tasks-recounted"):  # tasks outside a case (workflows/task.py) too
                    signalled += await self._tasks()
                return signalled
            after = page.ids[-1]
            if workflow.info().is_continue_as_new_suggested():
                workflow.continue_as_new(ReloadInput(year=job.year, after=after, signalled=signalled))

    async def _tasks(self) -> int:
        """Every open task whose due date is provisional re-reads it (its workflow recounts on the new calendar)."""
        after, told = None, 0
        while True:
            page: CaseIds = await workflow.execute_activity_method(
                TaskActivities.provisional_tasks, CasePageQuery(after=after, limit=PAGE),
                start_to_close_timeout=timedelta(seconds=30),
            )
            await asyncio.gather(*(self._signal_task(task_id) for task_id in page.ids))
            told += len(page.ids)
            if len(page.ids) < PAGE:
                return told
            after = page.ids[-1]

    async def _signal_task(self, task_id: UUID) -> None:
        handle = workflow.get_external_workflow_handle_for(TaskWorkflow.run, task_workflow_id(task_id))
        try:
            await handle.signal(TaskWorkflow.changed)
        except Exception:
            workflow.logger.info("task workflow no longer running; skipped")

    async def _signal(self, case_id: UUID) -> None:
        handle = workflow.get_external_workflow_handle_for(CaseWorkflow.run, case_workflow_id(case_id))
        try:
            await handle.signal(CaseWorkflow.recompute_deadline)
        except Exception:
            workflow.logger.info("case workflow no longer running; skipped")
