"""The process as the API shows it (`GET /process`, and a case's available actions): drawn from the table the
workflow runs, so the console's step bar and buttons cannot drift from it."""

from __future__ import annotations

from pydantic import BaseModel

from vocabulary.case import Action, Outcome, Role, Step


class StepInfo(BaseModel):
    step: Step
    number: int
    name_zh: str
    actors: list[Role]
    holds_cases: bool
    deadline_rule: str | None


class LeadInfo(BaseModel):
    step: Step | None  # None: the case stays where it is, or ends (then `outcome`)
    holder_role: Role | None
    outcome: Outcome | None
    label_zh: str | None


class ActionInfo(BaseModel):
    action: Action
    name_zh: str
    from_steps: list[Step]
    roles: list[Role]
    leads_to: list[LeadInfo]
    method: str
    path: str


class ProcessOut(BaseModel):
    steps: list[StepInfo]
    actions: list[ActionInfo]
    mermaid: str


class ActionOut(BaseModel):
    """An action this user may take on this case now."""

    action: Action
    name_zh: str
    method: str
    path: str
