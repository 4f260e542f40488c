"""When a county officer loads a year's holiday schedule, every open case whose deadline was computed on
weekdays (provisional) is told to recompute it. Durable: a crash half-way resumes where it stopped."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from uuid import UUID

from temporalio import workflow

from models.payloads.jobs import CaseIds, CasePageQuery, ReloadInput
from workflows.case import CaseWorkflow
from workflows.case_activities import CaseActivities
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
                return signalled
            after = page.ids[-1]
            if workflow.info().is_continue_as_new_suggested():
                workflow.continue_as_new(ReloadInput(year=job.year, after=after, signalled=signalled))

    async def _signal(self, case_id: UUID) -> None:
        handle = workflow.get_external_workflow_handle_for(CaseWorkflow.run, case_workflow_id(case_id))
        try:
            await handle.signal(CaseWorkflow.recompute_deadline)
        except Exception:
            workflow.logger.info("case workflow no longer running; skipped")
