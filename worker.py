"""The worker process: every workflow and every activity on one task queue, built here with their dependencies."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable
from typing import Any

from temporalio.client import Client
from temporalio.worker import Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from activities.case.application import ApplicationActivities
from activities.case.archiving import ArchivingActivities
from activities.case.closing import ClosingActivities
from activities.case.referral import ReferralActivities
from activities.case.registration import RegistrationActivities
from activities.case.review import ReviewActivities
from activities.case.service import ServiceActivities
from activities.case.survey import SurveyActivities
from activities.case.urgent import UrgentActivities
from activities.deadlines.escalation import DeadlineStepActivities, EscalationActivities
from activities.documents.store import DocumentStore
from activities.dynamic.events import DynamicEventActivities
from activities.dynamic.hearings import HearingActivities
from activities.dynamic.roster import RosterActivities
from activities.settlement.deadlines import StatementDeadlineActivities
from activities.settlement.runs import RunActivities
from activities.settlement.schedule import ensure_schedule
from activities.settlement.statements import StatementActivities
from activities.tasks.arming import arm_pending
from activities.tasks.deadlines import TaskDeadlineActivities
from infra import logs, tracing
from infra.db import Sessions, make_engine, make_sessions
from infra.temporal import connect, worker_runtime
from models.settings import Settings, get_settings
from workflows.calendar_reload import CalendarReloadWorkflow
from workflows.case import CaseWorkflow
from workflows.dynamic import RosterImportWorkflow
from workflows.settlement import SettlementTickWorkflow, SettlementWorkflow
from workflows.settlement_statement import StatementWorkflow
from workflows.task import TaskWorkflow

WORKFLOWS = (CaseWorkflow, CalendarReloadWorkflow, RosterImportWorkflow, SettlementTickWorkflow, SettlementWorkflow,
             StatementWorkflow, TaskWorkflow)
# Every class of activities, each built with its dependencies; each implements some of the methods the
# workflows call by reference (workflows/case_activities.py, workflows/settlement_activities.py,
# workflows/task_activities.py).
ACTIVITY_CLASSES = (
    ApplicationActivities, RegistrationActivities, SurveyActivities, ReviewActivities, ReferralActivities,
    ServiceActivities, ArchivingActivities, ClosingActivities, DynamicEventActivities, HearingActivities,
    EscalationActivities, DeadlineStepActivities,
    RunActivities, StatementActivities, StatementDeadlineActivities, RosterActivities,
    TaskDeadlineActivities, UrgentActivities,
)
# The classes that also keep documents they generate (payment files, notices): built with the document store.
WITH_DOCUMENTS = (StatementActivities, HearingActivities, ReviewActivities)
# Pure modules shared with the sandbox instead of re-imported for every workflow run (pydantic alone costs
# tens of milliseconds per uncached workflow). The workflow modules themselves stay sandboxed.
_PASSTHROUGH = (
    "pydantic", "pydantic_core", "annotated_types", "typing_inspection",
    "vocabulary", "models.payloads", "models.settlement.payloads", "models.tasks.payloads",
    "workflows.process", "workflows.transitions", "workflows.guards", "workflows.effects",
    "workflows.case_activities", "workflows.settlement_activities", "workflows.task_activities",
    "workflows.review_timing", "workflows.periods", "workflows.visibility", "workflows.hearing",
    "workflows.case_timers", "workflows.dynamic_activities",
    # The tracing interceptor's workflow side (a no-op when tracing is off).
    "opentelemetry",
)


def own_activities(implementation: object) -> list[Callable[..., Any]]:
    """The activity methods a class defines itself (the stubs it inherits are not activities to run)."""
    return [getattr(implementation, name) for name, fn in vars(type(implementation)).items()
            if hasattr(fn, "__temporal_activity_definition")]


def activities(sessions: Sessions, documents: DocumentStore | None = None) -> list[Callable[..., Any]]:
    built = [cls(sessions, documents) if cls in WITH_DOCUMENTS else cls(sessions)
             for cls in ACTIVITY_CLASSES]
    return [method for instance in built for method in own_activities(instance)]


def build_worker(client: Client, sessions: Sessions, task_queue: str, documents: DocumentStore | None = None,
                 **options: Any) -> Worker:
    """`options` go to the Worker as they are (tests use max_cached_workflows=0 to replay every task).
    `documents` is where the activities keep the documents they generate (payment files, notices); by default
    the store the settings name."""
    documents = documents or DocumentStore.from_settings(get_settings(), sessions)
    return Worker(
        client,
        task_queue=task_queue,
        **options,
        workflows=list(WORKFLOWS),
        activities=activities(sessions, documents),
        workflow_runner=SandboxedWorkflowRunner(
            restrictions=SandboxRestrictions.default.with_passthrough_modules(*_PASSTHROUGH)
        ),
    )


async def run(settings: Settings) -> None:
    engine = make_engine(settings.database_url)
    # The SDK core's log lines as JSON like ours, and its metrics for Prometheus when an address is set.
    runtime = worker_runtime(settings.worker_metrics_address)
    client = await connect(settings.temporal_address, settings.temporal_namespace, settings.payload_key,
                           interceptors=tracing.interceptors(tracing.configure("assistflow-worker")), runtime=runtime,
                           wait_seconds=300)  # a worker starting while the server restarts waits for it
    sessions = make_sessions(engine)
    documents = DocumentStore.from_settings(settings, sessions)
    await documents.objects.prepare()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):  # docker stop / Ctrl-C: finish in-flight tasks, then leave
        loop.add_signal_handler(sig, stop.set)
    try:
        if settings.settlement_schedule_enabled:
            await ensure_schedule(client, settings)  # idempotent: creates it, or updates it to the settings
        async with build_worker(client, sessions, settings.task_queue, documents):
            armed = await arm_pending(client, sessions, settings.task_queue)  # tasks saved while Temporal was away
            if armed:
                logging.getLogger(__name__).info("armed %d task deadlines", armed)
            logging.getLogger(__name__).info("worker listening on task queue %s", settings.task_queue)
            await stop.wait()
    finally:
        await documents.close()
        await engine.dispose()


def main() -> None:
    settings = get_settings()
    logs.configure("assistflow-worker", settings.log_level)
    asyncio.run(run(settings))


if __name__ == "__main__":
    main()
