"""Each escalation rung fires once per deadline, across continue-as-new (issue #11, defect 9). A run that starts
from a continued state — a reminder fired in the run before, the due rung still ahead — fires the due rung and
never the reminder again. (The state a run hands on is what `_continue` passes; the recorded histories in
tests/replay/ hold real continue-as-new.)"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client
from temporalio.worker import Worker

from activities.case.application import ApplicationActivities
from api.people import register_person
from devstack.seed import VILLAGE
from infra.db import Sessions
from models.deadline_tables import NOTIFICATIONS
from models.payloads.case import CaseStart, CaseState, DeadlinePlan, Position, RungAt
from models.payloads.forms import OpenForm
from models.payloads.jobs import StepRecord, Transition
from models.schemas import PersonIn
from tests.conftest import SETTINGS
from tests.flow import new_person
from tests.workflows.driver import actor
from vocabulary.case import Action, Channel, Role, Rung, Step
from workflows.case import CaseWorkflow
from workflows.visibility import case_workflow_id


async def _case_rows(sessions: Sessions) -> tuple[uuid.UUID, uuid.UUID]:
    async with sessions() as s:
        person = await register_person(s, SETTINGS, PersonIn.model_validate(new_person()))
    case_id, now = uuid.uuid4(), datetime.now(UTC)
    t = Transition(case_id=case_id, seq=1, action=Action.OPEN, actor=actor("jiedao"), before=None,
                   after=Position(step=Step.REGISTRATION, holder_role=Role.TOWNSHIP_WORKER), at=now)
    form = OpenForm(person_id=person, village_code=VILLAGE, channel=Channel.WINDOW, need_description="需要助洁")
    await ApplicationActivities(sessions).open_case(StepRecord[OpenForm](transition=t, form=form))
    return case_id, person


async def test_a_continued_run_fires_the_rungs_left_and_not_the_fired_ones(
    client: Client, worker: Worker, sessions: Sessions, task_queue: str,
) -> None:
    case_id, person = await _case_rows(sessions)
    now = datetime.now(UTC)
    plan = DeadlinePlan(seq=1, step=Step.REGISTRATION, due_on=now.date() + timedelta(days=1), provisional=False,
                        rungs=[RungAt(rung=Rung.REMINDER, at=now - timedelta(hours=1)),
                               RungAt(rung=Rung.DUE, at=now + timedelta(seconds=2)),
                               RungAt(rung=Rung.OVERDUE, at=now + timedelta(days=3))])
    carried = CaseState(case_id=case_id, person_id=person, village_code=VILLAGE, seq=1, deadline=plan,
                        position=Position(step=Step.REGISTRATION, holder_role=Role.TOWNSHIP_WORKER),
                        fired=[Rung.REMINDER])
    handle = await client.start_workflow(CaseWorkflow.run, CaseStart(case_id=case_id, state=carried),
                                         id=case_workflow_id(case_id), task_queue=task_queue)
    fired: list[str] = []
    for _ in range(150):
        async with sessions() as s:
            fired = list((await s.execute(select(NOTIFICATIONS.c.rung).where(
                NOTIFICATIONS.c.case_id == case_id))).scalars())
        if fired:
            break
        await asyncio.sleep(0.1)
    assert fired == ["due"]  # the reminder fired in the run before is not fired again
    state = await handle.query(CaseWorkflow.state)
    assert state is not None and state.fired == [Rung.REMINDER, Rung.DUE]
    history = await handle.fetch_history()
    escalations = [e for e in history.events if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
                   and e.activity_task_scheduled_event_attributes.activity_type.name == "escalate"]
    assert len(escalations) == 1
    await handle.terminate("test over")
