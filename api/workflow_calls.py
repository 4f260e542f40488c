"""Calling a workflow from a request: bounded waits, refusals mapped to HTTP, one way for every route.

A person's action on a case is the Workflow Update named after its row in the process table
(workflows/process.py). Every attempt is an update of its own id: Temporal remembers a *failed* update under its
id, so a transient failure must never be what a retry gets back. "Once" is kept by the client's Idempotency-Key,
bound durably in the step's transaction (api/idempotency.py, activities/case/keys.py).
"""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar
from uuid import UUID

from temporalio.client import RPCTimeoutOrCancelledError, WithStartWorkflowOperation, WorkflowUpdateFailedError
from temporalio.common import SearchAttributePair, TypedSearchAttributes, WorkflowIDConflictPolicy
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from api.deps import Resources
from api.errors import FOREIGN_CODES, NOT_FOUND, STATUS_OF_CODE, ApiError
from api.metrics import STEP_ADVANCES
from models.payloads.actor import Actor, Command, RequestKey
from models.payloads.base import Payload
from models.payloads.case import CaseStart, StepResult
from models.payloads.dynamic import EventRef
from models.payloads.forms import OpenForm
from vocabulary.case import Step
from workflows import process
from workflows.case import CaseWorkflow
from workflows.transitions import Act
from workflows.visibility import SA_COUNTY, SA_STEP, SA_TOWNSHIP, case_workflow_id

T = TypeVar("T")
# A refusal's code (vocabulary.refusal.refuse): lower snake case. A Python class name is not one.
_REFUSAL = re.compile(r"^[a-z][a-z0-9_]*$")
F = TypeVar("F", bound=Payload)


def update_id(actor: Actor, key: str | None = None) -> str:
    """A fresh id for every attempt (the key itself is never reused as an update id: see the module doc)."""
    return f"{actor.user_id}:{uuid.uuid4()}"


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
        if isinstance(cause, ApplicationError) and _REFUSAL.match(cause.type or ""):
            code = cause.type or "refused"
            if answers.statuses is STATUS_OF_CODE and code in FOREIGN_CODES:
                raise ApiError(404, *NOT_FOUND) from None
            raise ApiError(answers.statuses.get(code, 409), code, cause.message) from None
        # Anything else (a Python exception's class name, a timeout) is the system's fault, never the
        # request's: its text (hosts, ports) is not shown, and the client may retry.
        raise unavailable from None
    except RPCTimeoutOrCancelledError:
        raise unavailable from None
    except RPCError as err:
        if err.status in (RPCStatusCode.NOT_FOUND, RPCStatusCode.FAILED_PRECONDITION):
            raise ApiError(409, *answers.ended) from None
        raise unavailable from None


async def take(resources: Resources, case_id: UUID, act: Act[F], actor: Actor, form: F,
               request: RequestKey | None = None) -> StepResult:
    """Take the action of table row `act` on a case: its update, with its form (mypy keeps the two matched)."""
    handle = resources.temporal.get_workflow_handle_for(CaseWorkflow.run, case_workflow_id(case_id))
    command = Command[Any](actor=actor, form=form, request=request)

    async def call() -> StepResult:
        result: StepResult = await handle.execute_update(act.action.value, command, id=update_id(actor),
                                                         result_type=StepResult)
        return result

    return await counted(act.action.value, call_workflow(resources, call))


async def counted(action: str, answer: Awaitable[StepResult]) -> StepResult:
    """Count each step the API asks for on /metrics: advanced (with the step it leads to), refused, unavailable."""
    try:
        result = await answer
    except ApiError as err:
        STEP_ADVANCES.labels(action, "unavailable" if err.status == 503 else "refused", "").inc()
        raise
    STEP_ADVANCES.labels(action, "advanced", result.position.step.value).inc()
    return result


async def open_case(resources: Resources, case_id: UUID, actor: Actor, form: OpenForm,
                    request: RequestKey | None = None) -> StepResult:
    start = WithStartWorkflowOperation(
        CaseWorkflow.run,
        CaseStart(case_id=case_id),
        id=case_workflow_id(case_id),
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
            process.OPEN.action.value, Command[OpenForm](actor=actor, form=form, request=request),
            start_workflow_operation=start, id=update_id(actor), result_type=StepResult,
        )
        return result

    return await counted("open", call_workflow(resources, call))


async def signal_status_event(resources: Resources, case_id: UUID, event: EventRef) -> None:
    """Hands a recorded status event to its case (动态管理); the case takes each event in once, so sending it
    again is harmless. The event row is already committed: a failure here answers 503 and a retry delivers it."""
    handle = resources.temporal.get_workflow_handle_for(CaseWorkflow.run, case_workflow_id(case_id))
    try:
        async with asyncio.timeout(resources.settings.update_timeout_seconds):
            await handle.signal(CaseWorkflow.status_event, event)
    except Exception as err:
        raise ApiError(503, "case_unavailable", "身份变动已登记，案件处理服务暂时不可用，请稍后重试") from err
