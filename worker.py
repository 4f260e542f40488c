"""The worker process: the case workflow and every step's activities on one task queue."""

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
from activities.case.dynamic_management import DynamicManagementActivities
from activities.case.referral import ReferralActivities
from activities.case.registration import RegistrationActivities
from activities.case.review import ReviewActivities
from activities.case.service import ServiceActivities
from activities.case.survey import SurveyActivities
from activities.deadlines.escalation import DeadlineStepActivities, EscalationActivities
from activities.settlement.deadlines import StatementDeadlineActivities
from activities.settlement.runs import SettlementActivities
from activities.settlement.schedule import ensure_schedule
from activities.settlement.statements import StatementActivities
from infra import logs, tracing
from infra.db import Sessions, make_engine, make_sessions
from infra.temporal import connect, worker_runtime
from models.settings import Settings, get_settings
from workflows.calendar_reload import CalendarReloadWorkflow
from workflows.case import CaseWorkflow
from workflows.settlement import SettlementTickWorkflow, SettlementWorkflow, StatementWorkflow

# Pure modules shared with the sandbox instead of re-imported for every workflow run (pydantic alone
# costs tens of milliseconds per uncached workflow).
_PASSTHROUGH = (
    "pydantic", "pydantic_core", "annotated_types", "typing_inspection",
    "models.payloads", "workflows.steps", "workflows.timing",
    "workflows.rules", "models.settlement.payloads", "workflows.periods",
    # The tracing interceptor's workflow side (a no-op when tracing is off).
    "opentelemetry",
)


def activities(sessions: Sessions) -> list[Callable[..., Any]]:
    a = ApplicationActivities(sessions)
    r = RegistrationActivities(sessions)
    s = SurveyActivities(sessions)
    v = ReviewActivities(sessions)
    f = ReferralActivities(sessions)
    p = ServiceActivities(sessions)
    ar = ArchivingActivities(sessions)
    c = ClosingActivities(sessions)
    d = DynamicManagementActivities(sessions)
    e = EscalationActivities(sessions)
    k = DeadlineStepActivities(sessions)
    return [
        a.open_case, r.register, r.return_incomplete, r.resubmit, s.record_survey, v.review,
        f.refer, f.respond, p.file_plan, ar.build_archive, c.withdraw, c.close,
        d.monthly_review, d.stop_services, e.escalate, e.recompute, e.mark_blocked, e.provisional_cases,
        k.suspend, k.resume, k.extend, k.retry, k.reassign, *settlement_activities(sessions),
    ]


def settlement_activities(sessions: Sessions) -> list[Callable[..., Any]]:
    run, review = SettlementActivities(sessions), StatementActivities(sessions)
    due = StatementDeadlineActivities(sessions)
    return [run.open_run, run.compute, run.close_run,
            review.approve, review.return_statement, review.mark_paid, review.export,
            due.statement_deadline, due.statement_escalate]


def build_worker(client: Client, sessions: Sessions, task_queue: str, **options: Any) -> Worker:
    """`options` go to the Worker as they are (tests use max_cached_workflows=0 to replay every task)."""
    return Worker(
        client,
        task_queue=task_queue,
        **options,
        workflows=[CaseWorkflow, CalendarReloadWorkflow,
                   SettlementTickWorkflow, SettlementWorkflow, StatementWorkflow],
        activities=activities(sessions),
        workflow_runner=SandboxedWorkflowRunner(
            restrictions=SandboxRestrictions.default.with_passthrough_modules(*_PASSTHROUGH)
        ),
    )


async def run(settings: Settings) -> None:
    engine = make_engine(settings.database_url)
    # The SDK core's log lines as JSON like ours, and its metrics for Prometheus when an address is set.
    runtime = worker_runtime(settings.worker_metrics_address)
    client = await connect(settings.temporal_address, settings.temporal_namespace, settings.payload_key,
                           interceptors=tracing.interceptors(tracing.configure("assistflow-worker")), runtime=runtime)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):  # docker stop / Ctrl-C: finish in-flight tasks, then leave
        loop.add_signal_handler(sig, stop.set)
    try:
        if settings.settlement_schedule_enabled:
            await ensure_schedule(client, settings)  # idempotent: creates it, or updates it to the settings
        async with build_worker(client, make_sessions(engine), settings.task_queue):
            logging.getLogger(__name__).info("worker listening on task queue %s", settings.task_queue)
            await stop.wait()
    finally:
        await engine.dispose()


def main() -> None:
    settings = get_settings()
    logs.configure("assistflow-worker", settings.log_level)
    asyncio.run(run(settings))


if __name__ == "__main__":
    main()
