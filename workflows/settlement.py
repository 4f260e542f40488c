"""Monthly settlement (资金结算, step 8): the schedule's tick, one run per period, one review per statement.

- `SettlementTickWorkflow` is what the Temporal Schedule starts (its ids carry the schedule's timestamp). It
  reads the nominal time of its firing (also for catch-up and backfill), works out the period (the month
  before, China time) and starts `settlement-{period}`: the workflow id is derived from the period, so a
  second firing, a backfill or a manual run of the same period joins or repeats the same idempotent run.
- `SettlementWorkflow` computes each county set-based in SQL (one activity per county, heartbeating; see
  activities/settlement/sql.py and ledger.py), never waking a case workflow, then starts a review for every
  draft statement.
  A county officer's re-run of their own county is `settlement-{period}-{county}`.
- `StatementWorkflow` is the township's human step on one statement: approve or return, then mark paid.

Why a small workflow per statement rather than updates on the period's run: each statement is its own
decision with its own approver (the purchasing township or county) and, with issue 3, its own due date and
escalation — one timer and one short history each, like a case step. The period's run finishes as soon as
its drafts exist, so a re-run is simply a new run of `settlement-{period}` and never has to coordinate with
approvals still pending for weeks; a returned statement ends its review, and the re-run that recomputes it
starts the next one. An approval names the version it approves, checked against the database under the
statement's row lock, so a review still open while a re-run changed the statement cannot approve unseen
content. A run holding every statement would also meet the limits of one workflow (10 updates in flight,
2,000 per run) in a busy county.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy, SearchAttributeKey
from temporalio.exceptions import WorkflowAlreadyStartedError

from models.settlement.payloads import (
    CountyInput,
    RunFinished,
    RunRequest,
    RunSummary,
    SettlementStart,
    StatementRef,
    StatementStart,
    TickStart,
)
from vocabulary.settlement import StatementStatus
from workflows import periods
from workflows.settlement_activities import SettlementActivities
from workflows.settlement_statement import StatementWorkflow, statement_workflow_id

# Set by Temporal on every workflow a schedule starts: the nominal time, also for catch-up and backfill.
SCHEDULED_AT = SearchAttributeKey.for_datetime("TemporalScheduledStartTime")
_RUN_RETRY = RetryPolicy(initial_interval=timedelta(seconds=1), maximum_interval=timedelta(minutes=1))
_START_BATCH = 50


def settlement_workflow_id(period: str, county_code: str | None = None) -> str:
    return f"settlement-{period}" if county_code is None else f"settlement-{period}-{county_code}"


@workflow.defn
class SettlementTickWorkflow:
    @workflow.run
    async def run(self, start: TickStart) -> RunSummary | None:
        at = workflow.info().typed_search_attributes.get(SCHEDULED_AT) or workflow.now()
        period = periods.settled_by_run_at(at)
        try:
            handle = await workflow.start_child_workflow(
                SettlementWorkflow.run, SettlementStart(period=period, cutoff=at),
                id=settlement_workflow_id(period), parent_close_policy=workflow.ParentClosePolicy.ABANDON,
            )
        except WorkflowAlreadyStartedError:
            return None  # that period's run is already under way and settles the same
        summary: RunSummary = await handle
        return summary


@workflow.defn
class SettlementWorkflow:
    @workflow.run
    async def run(self, start: SettlementStart) -> RunSummary:
        info = workflow.info()
        request = RunRequest(period=start.period, county_code=start.county_code,
                             cutoff=start.cutoff or workflow.now(), workflow_id=f"{info.workflow_id}/{info.run_id}")
        opened = await workflow.execute_activity_method(
            SettlementActivities.settlement_open_run, request,
            start_to_close_timeout=timedelta(minutes=1), retry_policy=_RUN_RETRY,
        )
        statements: list[StatementRef] = []
        exceptions = 0
        for county in opened.counties:  # one transaction each, in code order
            done = await workflow.execute_activity_method(
                SettlementActivities.settlement_compute_county,
                CountyInput(period=start.period, county_code=county.county_code, cutoff=county.cutoff),
                start_to_close_timeout=timedelta(minutes=30),
                heartbeat_timeout=timedelta(seconds=10), retry_policy=_RUN_RETRY,
            )
            statements += done.statements
            exceptions += done.exceptions
        drafts = [s for s in statements if s.status is StatementStatus.DRAFT]
        for i in range(0, len(drafts), _START_BATCH):
            await asyncio.gather(*(self._start_review(s) for s in drafts[i:i + _START_BATCH]))
        await workflow.execute_activity_method(
            SettlementActivities.settlement_close_run,
            RunFinished(period=start.period, counties=[c.county_code for c in opened.counties],
                        workflow_id=request.workflow_id),
            start_to_close_timeout=timedelta(minutes=1), retry_policy=_RUN_RETRY,
        )
        return RunSummary(period=start.period, counties=len(opened.counties), statements=len(statements),
                          drafts=len(drafts), exceptions=exceptions)

    async def _start_review(self, ref: StatementRef) -> None:
        # Already started: its review is open, and the version it approves is checked against the database.
        with contextlib.suppress(WorkflowAlreadyStartedError):
            await workflow.start_child_workflow(
                StatementWorkflow.run,
                StatementStart(statement_id=ref.statement_id, period=ref.period, county_code=ref.county_code,
                               purchaser_code=ref.purchaser_code),
                id=statement_workflow_id(ref.statement_id), parent_close_policy=workflow.ParentClosePolicy.ABANDON,
            )


