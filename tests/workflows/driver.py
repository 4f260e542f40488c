"""Driving a case workflow directly through its typed updates (no HTTP), as the API would."""

from __future__ import annotations

import uuid
from typing import Any, TypeVar
from uuid import UUID

from temporalio.client import Client, WorkflowHandle

from api.people import register_person
from devstack.seed import PROVIDERS, USERS, user_id
from infra.db import Sessions
from models.payloads.actor import Actor, Command
from models.payloads.base import Payload
from models.payloads.case import CaseStart, StepResult
from models.payloads.forms import (
    ArchiveForm,
    OpenForm,
    PlanForm,
    ReferForm,
    RegisterForm,
    RespondForm,
    ReviewForm,
    SurveyForm,
)
from models.schemas import PersonIn
from tests.conftest import SETTINGS
from tests.flow import APPROVE, ARCHIVE, PLAN, SURVEY, new_person
from vocabulary.case import Channel
from workflows import process
from workflows.case import CaseWorkflow
from workflows.transitions import Act
from workflows.visibility import case_workflow_id

F = TypeVar("F", bound=Payload)


def actor(username: str) -> Actor:
    u = next(u for u in USERS if u.username == username)
    return Actor(user_id=user_id(u.username), role=u.role, jurisdiction=u.jurisdiction,
                 provider_id=u.provider, person_id=u.person, lead=u.lead)


async def start_case(client: Client, sessions: Sessions, task_queue: str) -> WorkflowHandle[Any, Any]:
    person = PersonIn.model_validate(new_person())
    async with sessions() as session:
        person_id = await register_person(session, SETTINGS, person)
    case_id = uuid.uuid4()
    handle = await client.start_workflow(CaseWorkflow.run, CaseStart(case_id=case_id), id=case_workflow_id(case_id),
                                         task_queue=task_queue)
    form = OpenForm(person_id=person_id, village_code=person.village_code, channel=Channel.WINDOW,
                    need_description="需要助洁")
    await step(handle, process.OPEN, "jiedao", form)
    return handle


async def step(handle: WorkflowHandle[Any, Any], act: Act[F], username: str, form: F) -> StepResult:
    """Take a row of the process table as `username` would through the API: its update, with its form."""
    result: StepResult = await handle.execute_update(act.action.value, Command[Any](actor=actor(username), form=form),
                                                     result_type=StepResult)
    return result


async def walk_into_service(handle: WorkflowHandle[Any, Any]) -> StepResult:
    await step(handle, process.REGISTER, "jiedao", RegisterForm.model_validate({"need_category": "living"}))
    await step(handle, process.SURVEY, "xieliyuan", SurveyForm.model_validate(SURVEY))
    await step(handle, process.REVIEW, "jiedao", ReviewForm.model_validate(APPROVE))
    await step(handle, process.REFER, "jiedao", ReferForm(provider_id=PROVIDERS[0][0]))
    await step(handle, process.RESPOND, "fuwu", RespondForm(accept=True))
    await step(handle, process.FILE_PLAN, "fuwu", PlanForm.model_validate(PLAN))
    return await step(handle, process.BUILD_ARCHIVE, "fuwu", ArchiveForm.model_validate(ARCHIVE))


def case_id_of(handle: WorkflowHandle[Any, Any]) -> UUID:
    return UUID(handle.id.removeprefix("case-"))
