"""The process as data (`GET /process`): the steps, every action with where it may be taken, by whom and where
it leads, and the diagram — all drawn from the table the case workflow executes."""

from __future__ import annotations

from fastapi import APIRouter

from api.case_actions import path_of
from api.deps import ActorDep
from models.process_schemas import ActionInfo, LeadInfo, ProcessOut, StepInfo
from policy.deadlines import STEP_RULE
from workflows import process
from workflows.diagram import mermaid

router = APIRouter(tags=["办理流程"])


def describe() -> ProcessOut:
    steps = [StepInfo(step=s.step, number=s.step.number, name_zh=s.step.zh, actors=sorted(s.actors),
                      holds_cases=s.holds_cases, deadline_rule=STEP_RULE.get(s.step))
             for s in process.STEPS]
    actions = [
        ActionInfo(action=a.action, name_zh=a.action.zh, from_steps=sorted(a.at, key=lambda s: s.number),
                   roles=sorted(a.by),
                   leads_to=[LeadInfo(step=lead.to, holder_role=lead.holder, outcome=lead.outcome, label_zh=lead.label)
                             for lead in a.leads],
                   method="POST", path="/cases" if a.opens else f"/cases/{{case_id}}{path_of(a)}")
        for a in process.ACTIONS
    ]
    return ProcessOut(steps=steps, actions=actions, mermaid=mermaid(process.STEPS, process.ACTIONS))


@router.get("/process", summary="办理流程：十个环节、每项操作的办理环节、办理人和去向（与案件工作流执行的同一张表）")
async def get_process(actor: ActorDep) -> ProcessOut:
    return describe()
