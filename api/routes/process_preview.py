"""TEMPORARY: `GET /process` in the lead's contract, derived from today's `workflows.rules.RULES` and
`workflows.steps.STEPS`, so the console can draw its step bar before the process table lands on main. Delete
this module when `workflows/process.py` and its `GET /process` arrive (the console needs no change)."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import ActorDep
from models.payloads import ACTION_ZH, Action
from models.schemas import Out
from workflows.rules import RULES
from workflows.steps import STEPS

router = APIRouter(tags=["流程"])

# Where each action's endpoint is (api/routes/steps.py).
_PATHS = {
    Action.REGISTER: "registration", Action.RETURN_INCOMPLETE: "materials-request", Action.RESUBMIT: "resubmission",
    Action.SURVEY: "survey", Action.REVIEW: "review", Action.REFER: "referral", Action.RESPOND: "referral/response",
    Action.FILE_PLAN: "plan", Action.BUILD_ARCHIVE: "archive", Action.WITHDRAW: "withdrawal",
    Action.CLOSE: "closure", Action.STOP: "stop", Action.SUSPEND: "deadline/suspension",
    Action.RESUME: "deadline/resumption", Action.EXTEND: "deadline/extension", Action.REASSIGN: "assignee",
    Action.RETRY: "retry",
}


class StepOut(Out):
    step: str
    number: int
    name_zh: str
    actors: list[str]
    holds_cases: bool


class ActionOut(Out):
    action: str
    name_zh: str
    from_steps: list[str]
    roles: list[str]
    leads_to: list[dict[str, str | None]]
    method: str
    path: str


class ProcessOut(Out):
    steps: list[StepOut]
    actions: list[ActionOut]
    mermaid: str


@router.get("/process", summary="办理流程：环节、各环节可办理的操作及办理岗位")
async def process(actor: ActorDep) -> ProcessOut:
    order = [s.step for s in STEPS]
    return ProcessOut(
        steps=[StepOut(step=s.step.value, number=s.number, name_zh=s.zh, actors=sorted(r.value for r in s.actors),
                       holds_cases=s.holds_cases) for s in STEPS],
        actions=[ActionOut(action=a.value, name_zh=ACTION_ZH[a], from_steps=[s.value for s in order if s in steps],
                           roles=sorted(r.value for r in roles), leads_to=[], method="POST",
                           path=f"/cases/{{case_id}}/{_PATHS[a]}") for a, (steps, roles) in RULES.items()],
        mermaid="flowchart LR\n" + "\n".join(f"  {a.step.value} --> {b.value}" for a in STEPS for b in a.next_steps),
    )
