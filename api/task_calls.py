"""After a request's transaction commits: start the workflows of the tasks it opened and tell those it changed
(activities/tasks/arming.py says why this is best effort)."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from activities.tasks.arming import signal_tasks, start_tasks
from api.deps import Resources


async def started(resources: Resources, task_ids: Iterable[UUID]) -> None:
    await start_tasks(resources.temporal, resources.settings.task_queue, task_ids)


async def changed(resources: Resources, task_ids: Iterable[UUID]) -> None:
    await signal_tasks(resources.temporal, task_ids)
