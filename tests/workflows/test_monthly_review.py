"""In service, a case wakes each month for its review and continues-as-new: history stays bounded; a review that
finds the person no longer eligible opens the township's task."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update
from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.workflowservice.v1 import DescribeWorkflowExecutionRequest
from temporalio.testing import WorkflowEnvironment

from infra.db import Sessions
from models.case_tables import DYNAMIC_REVIEWS
from models.dynamic.tables import STATUS_EVENTS
from models.tables import CASES, PERSONS
from tests.workflows.driver import case_id_of, start_case, walk_into_service
from worker import build_worker
from workflows.case import CaseWorkflow
from workflows.review_timing import next_review_at, period_of


async def _run_id(env: WorkflowEnvironment, workflow_id: str) -> str:
    # The raw call: the SDK's describe() cannot parse the time-skipping server's Datetime search attributes.
    out = await env.client.workflow_service.describe_workflow_execution(DescribeWorkflowExecutionRequest(
        namespace=env.client.namespace, execution=WorkflowExecution(workflow_id=workflow_id)))
    return out.workflow_execution_info.execution.run_id


async def test_monthly_review_continues_as_new(
    ts_env: WorkflowEnvironment, sessions: Sessions, task_queue: str
) -> None:
    async with build_worker(ts_env.client, sessions, task_queue):
        handle = await start_case(ts_env.client, sessions, task_queue)
        result = await walk_into_service(handle)
        assert result.position.step.value == "dynamic_management"
        first_run = await _run_id(ts_env, handle.id)
        case_id = case_id_of(handle)
        due = next_review_at(case_id, await ts_env.get_current_time())

        reviewed: list[str] = []
        for month in range(3):
            if month == 1:  # the person's status changes: no longer a recipient (e.g. 低保 ended)
                async with sessions.begin() as s:
                    person = select(CASES.c.person_id).where(CASES.c.id == case_id).scalar_subquery()
                    await s.execute(update(PERSONS).where(PERSONS.c.id == person).values(category="none"))
            now = await ts_env.get_current_time()
            await ts_env.sleep((due - now) + timedelta(hours=1))
            state = await handle.query(CaseWorkflow.state)
            assert state is not None and state.last_review_period == period_of(due), month
            reviewed.append(period_of(due))
            due = next_review_at(case_id, due)

        assert await _run_id(ts_env, handle.id) != first_run
        history = await handle.fetch_history()
        assert len(history.events) < 40  # a fresh run per month, not an ever-growing one

        async with sessions() as session:
            periods = (await session.execute(
                select(DYNAMIC_REVIEWS.c.period).where(DYNAMIC_REVIEWS.c.case_id == case_id)
            )).scalars().all()
        assert len(periods) == 3 and len(set(periods)) == 3
        async with sessions() as session:
            events = (await session.execute(select(STATUS_EVENTS.c.business_key, STATUS_EVENTS.c.case_seq).where(
                STATUS_EVENTS.c.case_id == case_id, STATUS_EVENTS.c.source == "review"))).all()
        # A status event in the month it changed and in the next, once each, taken in by the case: the township's
        # task (its deadline). Services go on until a worker has heard the recipient and decided.
        assert sorted(r.business_key for r in events) == [f"review:{case_id}:{p}" for p in reviewed[1:]]
        assert all(r.case_seq is not None for r in events)
        state = await handle.query(CaseWorkflow.state)
        assert state is not None and state.position.status.value == "open"
        assert state.position.holder_role == "township_worker" and len(state.task_events) == 2
