"""The monthly roster of the low-income monitoring platform (低收入人口动态监测信息平台), imported durably.

One workflow per imported file (`roster-import-{id}`; the same file twice is the same import): the import
activity validates and writes every row set-based in chunks, committing its progress after each (the client
polls the import's row), then the workflow hands every status event it recorded for a person with an open
case to that case's workflow (the `status_event` signal), a page at a time, continuing-as-new so a roster with
ten thousand changes keeps a short history. A case takes each event in once (workflows/hearing.py).
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

from models.payloads.dynamic import CaseEvent, RosterPage, RosterStart
from workflows.dynamic_activities import DynamicActivities
from workflows.visibility import case_workflow_id

_RETRY = RetryPolicy(initial_interval=timedelta(seconds=1), maximum_interval=timedelta(minutes=1))
PAGE = 200
PAGES_PER_RUN = 20


def roster_workflow_id(import_id: object) -> str:
    return f"roster-import-{import_id}"


@workflow.defn
class RosterImportWorkflow:
    @workflow.run
    async def run(self, start: RosterStart) -> int:
        if not start.imported:
            await workflow.execute_activity_method(
                DynamicActivities.roster_import, start, start_to_close_timeout=timedelta(minutes=30),
                heartbeat_timeout=timedelta(seconds=30), retry_policy=_RETRY)
        after, sent = start.after, start.sent
        for _ in range(PAGES_PER_RUN):
            page = await workflow.execute_activity_method(
                DynamicActivities.roster_pending,
                RosterPage(import_id=start.import_id, actor=start.actor, after=after, limit=PAGE),
                start_to_close_timeout=timedelta(minutes=1), retry_policy=_RETRY)
            if not page.items:
                return sent
            await asyncio.gather(*(self._hand_on(item) for item in page.items))
            sent += len(page.items)
            after = page.items[-1].event.event_id
        workflow.continue_as_new(start.model_copy(update={"imported": True, "after": after, "sent": sent}))

    async def _hand_on(self, item: CaseEvent) -> None:
        handle = workflow.get_external_workflow_handle(case_workflow_id(item.case_id))
        try:
            await handle.signal("status_event", item.event)
        except Exception:  # the case closed meanwhile: its event stays recorded, nothing to take it in
            workflow.logger.info("case workflow gone; event kept")
