"""A person's action on a case, from HTTP: the path of each row of the process table, the one dependency every
step route takes, and what a user may do now (derived from the same table the workflow runs)."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, TypeVar
from uuid import UUID

from fastapi import Depends

from api.access import load_case
from api.case_repair import NOT_OPENED, repair_open
from api.deps import ActorDep, IdempotencyKey, Resources, ResourcesDep, SessionDep
from api.errors import ApiError
from api.idempotency import replay, replay_after, request_key
from api.workflow_calls import take
from models.payloads.actor import Actor
from models.payloads.base import Payload
from models.payloads.case import CaseState, DeadlinePlan, Position, StepResult
from models.process_schemas import ActionOut
from models.schemas import StepOut
from vocabulary.case import Action, Outcome, Step
from vocabulary.urgent import UrgentState
from workflows import process
from workflows.case import CaseWorkflow
from workflows.transitions import Act, may_take
from workflows.visibility import case_workflow_id

F = TypeVar("F", bound=Payload)
_QUERY_SECONDS = 2.0

# Where each action of the table is taken, under /cases/{case_id} (opening a case is POST /cases).
PATHS: dict[Action, str] = {
    Action.REGISTER: "/registration",
    Action.RETURN_INCOMPLETE: "/materials-request",
    Action.RESUBMIT: "/resubmission",
    Action.SURVEY: "/survey",
    Action.REVIEW: "/review",
    Action.REFER: "/referral",
    Action.RESPOND: "/referral/response",
    Action.FILE_PLAN: "/plan",
    Action.BUILD_ARCHIVE: "/archive",
    Action.WITHDRAW: "/withdrawal",
    Action.CLOSE: "/closure",
    Action.STOP: "/stop",
    Action.DISMISS_TASK: "/dynamic/dismissal",
    Action.PROPOSE: "/dynamic/proposal",
    Action.RECORD_STATEMENT: "/dynamic/statement",
    Action.DECIDE: "/dynamic/decision",
    Action.ACKNOWLEDGE: "/dynamic/acknowledgement",
    Action.TRANSFER: "/dynamic/transfer",
    Action.SUSPEND: "/deadline/suspension",
    Action.RESUME: "/deadline/resumption",
    Action.EXTEND: "/deadline/extension",
    Action.REASSIGN: "/assignee",
    Action.RETRY: "/retry",
    Action.MARK_URGENT: "/urgent",
    Action.CONFIRM_URGENT: "/urgent/confirmation",
}


def path_of(act: Act[Any]) -> str:
    return PATHS[act.action]


class CaseStep:
    """One person's action on one case. The case workflow's validator is the first judge: it refuses a wrong step,
    role, jurisdiction or provider before anything is written, so an accepted step needs no read of our records
    first. Every refusal, and every answer replayed from a key, is checked against our records before it is
    told: a case the person may not see (foreign) and a case that does not exist (absent) answer the same 404,
    whatever the workflow said (its "wrong step" or "closed" would tell a stranger the case exists)."""

    def __init__(self, case_id: UUID, actor: Actor, session: Any, resources: Resources, key: str | None) -> None:
        self.case_id, self.actor, self.session, self.resources, self.key = case_id, actor, session, resources, key

    async def __call__(self, act: Act[F], form: F) -> StepOut:
        request = request_key(self.key, f"{act.action.value} {self.case_id}", self.resources.settings.id_hash_key,
                              form)
        answer = await replay(self.session, self.actor, request)
        if answer is not None:
            await load_case(self.session, self.actor, self.case_id)  # the case may have moved out of reach since
        await self.session.close()  # do not hold a connection while the workflow works
        if answer is not None:
            return StepOut.of(StepResult.model_validate(answer))
        try:
            try:
                result = await take(self.resources, self.case_id, act, self.actor, form, request)
            except ApiError as err:
                case = await self._visible()  # foreign or absent: 404, whatever the workflow answered
                if case.status != "open" or err.code not in NOT_OPENED:
                    raise
                # Our row says open, the workflow does not know the case: its opening was lost. Repair, retry.
                await repair_open(self.resources, self.case_id)
                result = await take(self.resources, self.case_id, act, self.actor, form, request)
        except ApiError as err:
            return StepOut.of(StepResult.model_validate(
                await replay_after(self.resources.sessions, self.actor, request, err)))
        return StepOut.of(result)

    async def _visible(self) -> Any:
        async with self.resources.sessions() as session:
            return await load_case(session, self.actor, self.case_id)


async def case_step(case_id: UUID, actor: ActorDep, session: SessionDep, resources: ResourcesDep,
                    key: IdempotencyKey = None) -> CaseStep:
    return CaseStep(case_id, actor, session, resources, key)


CaseStepDep = Annotated[CaseStep, Depends(case_step)]


def state_of(row: Any) -> CaseState:
    """The case as the projection row shows it: what the table's requirements look at."""
    step = Step(row.step)
    position = Position(step=step, holder_role=row.holder_role, assignee_id=row.assignee_id,
                        provider_id=row.provider_id, outcome=Outcome(row.outcome) if row.outcome else None,
                        awaiting_applicant=row.awaiting_applicant)
    deadline = None
    if row.deadline_seq is not None and row.due_on is not None:
        deadline = DeadlinePlan(seq=row.deadline_seq, step=step, due_on=row.due_on, provisional=row.due_provisional,
                                suspended=row.suspended_on is not None, extended=row.extended)
    return CaseState(case_id=row.id, person_id=row.person_id, village_code=row.village_code, position=position,
                     seq=row.seq, deadline=deadline, blocked=row.blocked_reason if row.blocked_at else None,
                     urgent=UrgentState(row.urgent) if row.urgent else None)


async def live_state(resources: Resources, row: Any) -> CaseState:
    """The projection, plus what only the workflow holds in 动态管理 (the events of the open task, the proposal
    being heard, the change awaiting the provider): the hearing's actions depend on them. Asked of the case
    workflow briefly; if it cannot answer, the projection alone (the workflow still checks every action)."""
    state = state_of(row)
    if row.status != "open" or state.position.step is not Step.DYNAMIC_MANAGEMENT:
        return state
    handle = resources.temporal.get_workflow_handle_for(CaseWorkflow.run, case_workflow_id(row.id))
    try:
        async with asyncio.timeout(_QUERY_SECONDS):
            live = await handle.query(CaseWorkflow.state)
    except Exception:
        return state
    if live is None:
        return state
    return state.model_copy(update={"task_events": live.task_events, "proposal": live.proposal,
                                    "unacknowledged": live.unacknowledged})


def available_actions(state: CaseState, actor: Actor) -> list[ActionOut]:
    """What `actor` may do to the case now: the table rows whose step, role, scope and requirements hold."""
    return [ActionOut(action=act.action, name_zh=act.action.zh, method="POST",
                      path=f"/cases/{state.case_id}{path_of(act)}")
            for act in may_take(process.ACTIONS, state, actor)]
