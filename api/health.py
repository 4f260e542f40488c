"""Liveness and readiness, for the compose healthchecks and a load balancer.

- live: the process answers (no dependency checked: a restart would not fix a database outage).
- ready: PostgreSQL answers, Temporal answers, and at least one worker polled the task queue recently (both the
  workflow and the activity side), i.e. a step sent now would be worked on. 503 with what is missing otherwise.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from sqlalchemy import text
from temporalio.api.enums.v1 import TaskQueueKind, TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import Client

from infra.db import Sessions

CHECK_TIMEOUT = 3.0


@dataclass
class Readiness:
    checks: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(v.startswith("ok") for v in self.checks.values())


async def _database(sessions: Sessions) -> str:
    async with sessions() as session:
        await session.execute(text("SELECT 1"))
    return "ok"


async def pollers(client: Client, task_queue: str, kind: TaskQueueType.ValueType, fresh_seconds: float) -> list[str]:
    """Identities of the workers that polled `task_queue` for `kind` within `fresh_seconds`."""
    answer = await client.workflow_service.describe_task_queue(DescribeTaskQueueRequest(
        namespace=client.namespace, task_queue=TaskQueue(name=task_queue, kind=TaskQueueKind.TASK_QUEUE_KIND_NORMAL),
        task_queue_type=kind))
    now = time.time()
    return [p.identity for p in answer.pollers
            if not p.HasField("last_access_time") or now - p.last_access_time.seconds <= fresh_seconds]


async def _temporal(client: Client) -> str:
    await client.service_client.check_health()
    return "ok"


async def _worker(client: Client, task_queue: str, fresh_seconds: float) -> str:
    kinds = {"workflow": TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, "activity": TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY}
    found = {name: await pollers(client, task_queue, kind, fresh_seconds) for name, kind in kinds.items()}
    missing = [name for name, ids in found.items() if not ids]
    if missing:
        return f"no worker polling {task_queue} ({', '.join(missing)} tasks)"
    return f"ok ({len(set(found['workflow']) | set(found['activity']))} pollers)"


async def _guarded(name: str, check: asyncio.Future[str] | asyncio.Task[str], out: Readiness) -> None:
    try:
        out.checks[name] = await asyncio.wait_for(check, CHECK_TIMEOUT)
    except TimeoutError:
        out.checks[name] = f"no answer within {CHECK_TIMEOUT:.0f} s"
    except Exception as err:  # the class name only: a driver's message may carry a host or a statement
        out.checks[name] = f"unavailable ({type(err).__name__})"


async def readiness(sessions: Sessions, client: Client, task_queue: str, fresh_seconds: float) -> Readiness:
    out = Readiness()
    await asyncio.gather(
        _guarded("database", asyncio.ensure_future(_database(sessions)), out),
        _guarded("temporal", asyncio.ensure_future(_temporal(client)), out),
        _guarded("worker", asyncio.ensure_future(_worker(client, task_queue, fresh_seconds)), out),
    )
    return out
