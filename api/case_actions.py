"""A person's action on a case, from HTTP: the path of each row of the process table, the one dependency every
step route takes, and what a user may do now (derived from the same table the workflow runs)."""

from __future__ import annotations

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
from workflows.transitions import Act, may_take

F = TypeVar("F", bound=Payload)

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
    """One person's action on one case: our records are asked first (an unknown or foreign case answers 404
    before Temporal is asked), a key already used answers from its durable record, then the case workflow takes
    the table row's update."""

    def __init__(self, case_id: UUID, actor: Actor, session: Any, resources: Resources, key: str | None) -> None:
        self.case_id, self.actor, self.session, self.resources, self.key = case_id, actor, session, resources, key

    async def __call__(self, act: Act[F], form: F) -> StepOut:
        case = await load_case(self.session, self.actor, self.case_id)
        request = request_key(self.key, f"{act.action.value} {self.case_id}", self.resources.settings.id_hash_key,
                              form)
        answer = await replay(self.session, self.actor, request)
        await self.session.close()  # do not hold a connection while the workflow works
        if answer is not None:
            return StepOut.of(StepResult.model_validate(answer))
        try:
            try:
                result = await take(self.resources, self.case_id, act, self.actor, form, request)
            except ApiError as err:
                if case.status != "open" or err.code not in NOT_OPENED:
                    raise
                # Our row says open, the workflow does not know the case: its opening was lost. Repair, retry.
                await repair_open(self.resources, self.case_id)
                result = await take(self.resources, self.case_id, act, self.actor, form, request)
        except ApiError as err:
            return StepOut.of(StepResult.model_validate(
                await replay_after(self.resources.sessions, self.actor, request, err)))
        return StepOut.of(result)


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


def available_actions(row: Any, actor: Actor) -> list[ActionOut]:
    """What `actor` may do to the case now: the table rows whose step, role, scope and requirements hold."""
    return [ActionOut(action=act.action, name_zh=act.action.zh, method="POST",
                      path=f"/cases/{row.id}{path_of(act)}")
            for act in may_take(process.ACTIONS, state_of(row), actor)]
