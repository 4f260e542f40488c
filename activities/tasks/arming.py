"""Starting and nudging the task workflows, after the transaction that changed the tasks has committed.

Best effort by design: a task's record, deadline and place in the inbox and the stuck view are already saved
(overdue is derived from `due_on` by SQL), so Temporal being unreachable must not undo or refuse the request.
What would be lost — the rungs' notifications — is recovered by `arm_pending`, which the worker runs when it
starts: every open task whose workflow has not armed its rungs yet (`tasks.armed`) gets its workflow.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from uuid import UUID

from sqlalchemy import select
from temporalio.client import Client
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy

from infra.db import Sessions
from models.tasks.payloads import TaskStart
from models.tasks.tables import TASKS
from vocabulary.tasks import TaskStatus
from workflows.task import TaskWorkflow, task_workflow_id

log = logging.getLogger(__name__)
_TIMEOUT = 10.0


async def start_tasks(client: Client, task_queue: str, task_ids: Iterable[UUID]) -> None:
    for task_id in task_ids:
        try:
            async with asyncio.timeout(_TIMEOUT):
                await client.start_workflow(
                    TaskWorkflow.run, TaskStart(task_id=task_id), id=task_workflow_id(task_id), task_queue=task_queue,
                    id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
                    id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
                )
        except Exception as err:  # the task is saved; the worker arms it when it next starts
            log.warning("task workflow not started (%s); the worker will arm it", type(err).__name__)


async def signal_tasks(client: Client, task_ids: Iterable[UUID]) -> None:
    """Tell each task's workflow its deadline moved or it closed (it re-reads the task)."""
    for task_id in task_ids:
        try:
            async with asyncio.timeout(_TIMEOUT):
                await client.get_workflow_handle_for(TaskWorkflow.run, task_workflow_id(task_id)).signal(
                    TaskWorkflow.changed)
        except Exception as err:  # ended already, or unreachable: the next rung re-reads the task anyway
            log.info("task workflow not signalled (%s)", type(err).__name__)


async def arm_pending(client: Client, sessions: Sessions, task_queue: str) -> int:
    async with sessions() as session:
        ids = list((await session.execute(select(TASKS.c.id).where(
            TASKS.c.status == TaskStatus.OPEN.value, TASKS.c.armed.is_(False)))).scalars())
    await start_tasks(client, task_queue, ids)
    return len(ids)
