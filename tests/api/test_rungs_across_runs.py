"""Each escalation rung fires once per deadline, across continue-as-new (issue #11, defect 9): the fired rungs
travel with the case into its next run, which does not fire them again."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime

import httpx
from sqlalchemy import func, select
from temporalio.api.enums.v1 import EventType
from temporalio.testing import WorkflowEnvironment

from activities.documents.store import DocumentStore
from api.deps import Resources, get_today
from api.main import create_app
from infra.db import Sessions
from models.deadline_tables import NOTIFICATIONS
from tests.api.conftest import Http
from tests.conftest import SETTINGS
from tests.flow import new_person
from tests.world import make_world
from vocabulary.case import Role
from vocabulary.china import CHINA
from worker import build_worker
from workflows.case import CaseWorkflow
from workflows.visibility import case_workflow_id


async def test_a_fired_rung_is_not_fired_again_in_the_next_run(short_runs: WorkflowEnvironment,
                                                                sessions: Sessions, documents: DocumentStore) -> None:
    queue = f"test-{uuid.uuid4().hex}"
    settings = SETTINGS.model_copy(update={"task_queue": queue})
    app = create_app(settings)
    app.state.resources = Resources(settings=settings, sessions=sessions, temporal=short_runs.client,
                                    documents=documents)
    today = datetime.now(CHINA).date()
    app.dependency_overrides[get_today] = lambda: today
    world = await make_world(sessions)
    lead = world.actor(Role.TOWNSHIP_WORKER).model_copy(update={"lead": True})
    async with build_worker(short_runs.client, sessions, queue), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, raise_app_exceptions=False), base_url="http://test") as client:
        http = Http(client, settings, short_runs.client)
        # A county whose registration is due the next working day, reminded two working days before: the
        # reminder is due at once when the case opens.
        await http.ok("PUT", "/deadline-rules", world.officer, {"rules": {"registration": 1, "reminder_before": 2}})
        case = (await http.ok("POST", "/cases", world.township_worker, {
            "channel": "window", "need_description": "需要助洁", "person": new_person(village=world.village)}))["id"]
        handle = short_runs.client.get_workflow_handle_for(CaseWorkflow.run, case_workflow_id(uuid.UUID(case)))
        for _ in range(100):  # the reminder rung fires (an activity: give it a moment)
            state = await handle.query(CaseWorkflow.state)
            if state is not None and state.fired:
                break
            await asyncio.sleep(0.1)
        assert state is not None and [r.value for r in state.fired] == ["reminder"]
        first_run = (await handle.describe()).run_id
        for _ in range(12):  # reassignments until the server suggests a new run
            await http.ok("POST", f"/cases/{case}/assignee", lead, {"assignee_id": str(lead.user_id), "reason": "轮岗"})
            if (await handle.describe()).run_id != first_run:
                break
        assert (await handle.describe()).run_id != first_run, "the case did not continue as new"
        await asyncio.sleep(1.0)  # the new run's first tasks (a second firing would be scheduled here)
        state = await handle.query(CaseWorkflow.state)
        assert state is not None and [r.value for r in state.fired] == ["reminder"]
        history = await handle.fetch_history()
        escalations = [e for e in history.events if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
                       and e.activity_task_scheduled_event_attributes.activity_type.name == "escalate"]
        assert escalations == []  # the new run fired nothing again
    async with sessions() as s:
        reminders = (await s.execute(select(func.count()).select_from(NOTIFICATIONS).where(
            NOTIFICATIONS.c.case_id == uuid.UUID(case), NOTIFICATIONS.c.rung == "reminder"))).scalar_one()
    assert reminders == 1
