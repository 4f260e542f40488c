"""Calling the case workflow from a request: typed updates, bounded waits, refusals mapped to HTTP."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar
from uuid import UUID

from temporalio.client import WithStartWorkflowOperation, WorkflowUpdateFailedError
from temporalio.common import SearchAttributePair, TypedSearchAttributes, WorkflowIDConflictPolicy
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from api.deps import Resources
from api.errors import STATUS_OF_CODE, ApiError
from api.metrics import STEP_ADVANCES
from models.payloads import Actor, CaseStart, Command, OpenForm, Payload, StepResult
from workflows.case import CaseWorkflow
from workflows.rules import SA_COUNTY, SA_STEP, SA_TOWNSHIP, workflow_id_for
from workflows.steps import Step

T = TypeVar("T")


def update_id(actor: Actor, key: str | None) -> str:
    """A client's Idempotency-Key makes a repeated request the same update, which Temporal runs once."""
    return f"{actor.user_id}:{key}" if key else str(uuid.uuid4())


@dataclass(frozen=True)
class Answers:
    """How a workflow's refusals read to a person: the HTTP status per refusal code, and the two messages for
    a workflow that no longer runs (409) or does not answer in time (503)."""

    statuses: Mapping[str, int]
    ended: tuple[str, str]
    unavailable: tuple[str, str]


CASE_ANSWERS = Answers(STATUS_OF_CODE, ("case_closed", "案件已办结，不能再办理"),
                       ("case_unavailable", "案件处理服务暂时不可用，请稍后重试"))


async def call_workflow(resources: Resources, call: Callable[[], Awaitable[T]], answers: Answers = CASE_ANSWERS) -> T:
    """Run one client call to a workflow, bounded in time, and turn every failure into an ApiError."""
    unavailable = ApiError(503, *answers.unavailable)
    try:
        async with asyncio.timeout(resources.settings.update_timeout_seconds):
            return await call()
    except TimeoutError:
        raise unavailable from None
    except WorkflowUpdateFailedError as err:
        cause = err.cause
        if isinstance(cause, ApplicationError):
            code = cause.type or "refused"
            raise ApiError(answers.statuses.get(code, 409), code, cause.message) from None
        raise unavailable from None
    except RPCError as err:
        if err.status in (RPCStatusCode.NOT_FOUND, RPCStatusCode.FAILED_PRECONDITION):
            raise ApiError(409, *answers.ended) from None
        raise unavailable from None


async def advance(
    resources: Resources, case_id: UUID, update: Any, actor: Actor, form: Payload, key: str | None
) -> StepResult:
    handle = resources.temporal.get_workflow_handle_for(CaseWorkflow.run, workflow_id_for(case_id))
    command = Command[Any](actor=actor, form=form)  # the update's own type validates it on arrival

    async def call() -> StepResult:
        result: StepResult = await handle.execute_update(update, command, id=update_id(actor, key))
        return result

    return await counted(getattr(update, "__name__", "update"), call_workflow(resources, call))


async def counted(action: str, answer: Awaitable[StepResult]) -> StepResult:
    """Count each step the API asks for on /metrics: advanced (with the step it leads to), refused, unavailable."""
    try:
        result = await answer
    except ApiError as err:
        STEP_ADVANCES.labels(action, "unavailable" if err.status == 503 else "refused", "").inc()
        raise
    STEP_ADVANCES.labels(action, "advanced", result.holding.step.value).inc()
    return result


async def open_case(resources: Resources, case_id: UUID, actor: Actor, form: OpenForm, key: str | None) -> StepResult:
    start = WithStartWorkflowOperation(
        CaseWorkflow.run,
        CaseStart(case_id=case_id),
        id=workflow_id_for(case_id),
        task_queue=resources.settings.task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        search_attributes=TypedSearchAttributes([
            SearchAttributePair(SA_STEP, Step.APPLICATION.value),
            SearchAttributePair(SA_COUNTY, form.village_code[:6]),
            SearchAttributePair(SA_TOWNSHIP, form.village_code[:9]),
        ]),
    )

    async def call() -> StepResult:
        result: StepResult = await resources.temporal.execute_update_with_start_workflow(
            CaseWorkflow.open, Command[OpenForm](actor=actor, form=form),
            start_workflow_operation=start, id=update_id(actor, key),
        )
        return result

    return await counted("open", call_workflow(resources, call))
