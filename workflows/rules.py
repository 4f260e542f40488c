"""Who may do what to a case, and when: the checks every update validator runs, as plain functions over
the case state. Pure (standard library, temporalio's error type, payloads): runs inside the sandbox."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any
from uuid import UUID

from temporalio.common import SearchAttributeKey, SearchAttributeUpdate
from temporalio.exceptions import ApplicationError

from models.payloads import Action, Actor, CaseState, CaseStatus, Outcome
from workflows import steps
from workflows.steps import STEPS, Role, Step
from workflows.timing import CHINA

SA_STEP = SearchAttributeKey.for_keyword("AssistStep")
SA_COUNTY = SearchAttributeKey.for_keyword("AssistCounty")
SA_TOWNSHIP = SearchAttributeKey.for_keyword("AssistTownship")
SA_DUE = SearchAttributeKey.for_datetime("AssistDue")
SA_PROVISIONAL = SearchAttributeKey.for_bool("AssistProvisional")
# Codes and dates only, never personal data: visibility stores them in plain text.
SEARCH_ATTRIBUTES: tuple[SearchAttributeKey[Any], ...] = (SA_STEP, SA_COUNTY, SA_TOWNSHIP, SA_DUE, SA_PROVISIONAL)

_T, _V, _P, _A, _C = (Role.TOWNSHIP_WORKER, Role.VILLAGE_ASSISTANT, Role.PROVIDER, Role.APPLICANT,
                      Role.COUNTY_OFFICER)
_TIMED = frozenset(s.step for s in STEPS if s.deadline_rule is not None)

# Which action may be taken in which steps, by whom. A step's own actors come from steps.py.
RULES: dict[Action, tuple[frozenset[Step], frozenset[Role]]] = {
    Action.REGISTER: (frozenset({Step.REGISTRATION}), steps.SPEC[Step.REGISTRATION].actors),
    Action.RETURN_INCOMPLETE: (frozenset({Step.REGISTRATION}), frozenset({_T})),
    Action.RESUBMIT: (frozenset({Step.REGISTRATION}), frozenset({_T, _V, _A})),
    Action.SURVEY: (frozenset({Step.SURVEY}), steps.SPEC[Step.SURVEY].actors),
    Action.REVIEW: (frozenset({Step.REVIEW}), steps.SPEC[Step.REVIEW].actors),
    Action.REFER: (frozenset({Step.REFERRAL}), frozenset({_T})),
    Action.RESPOND: (frozenset({Step.REFERRAL}), frozenset({_P})),
    Action.FILE_PLAN: (frozenset({Step.SERVICE}), steps.SPEC[Step.SERVICE].actors),
    Action.BUILD_ARCHIVE: (frozenset({Step.ARCHIVING}), steps.SPEC[Step.ARCHIVING].actors),
    Action.WITHDRAW: (steps.BEFORE_DECISION, frozenset({_T, _A})),
    Action.CLOSE: (frozenset({Step.REFERRAL}), frozenset({_T})),
    Action.STOP: (frozenset({Step.SERVICE}) | steps.IN_SERVICE, frozenset({_T})),
    # Waiting on the applicant happens before the decision; the clock stops only there.
    Action.SUSPEND: (steps.BEFORE_DECISION, frozenset({_T})),
    Action.RESUME: (steps.BEFORE_DECISION, frozenset({_T})),
    Action.EXTEND: (_TIMED, frozenset({_C})),
    Action.REASSIGN: (frozenset(Step), frozenset({_T, _C})),
    Action.RETRY: (frozenset(Step), frozenset({_T, _C})),
}

ROLE_ZH = {
    Role.APPLICANT: "申请人",
    Role.VILLAGE_ASSISTANT: "村(社区)社会救助协理员",
    Role.TOWNSHIP_WORKER: "乡镇(街道)社会救助工作人员",
    Role.COUNTY_OFFICER: "县级民政部门",
    Role.PROVIDER: "服务供给主体",
    Role.AUDITOR: "审计/纪检",
}


def refuse(code: str, message: str) -> ApplicationError:
    """A refusal the API passes on as is: `code` for machines, `message` (Chinese) for case workers."""
    return ApplicationError(message, type=code, non_retryable=True)


def workflow_id_for(case_id: UUID) -> str:
    """Workflow ids carry the case's random id only: nothing personal ever appears in them."""
    return f"case-{case_id}"


def case_id_of(workflow_id: str) -> UUID:
    return UUID(workflow_id.removeprefix("case-"))


def check_scope(actor: Actor, village_code: str, roles: frozenset[Role]) -> None:
    if actor.role not in roles:
        names = "、".join(ROLE_ZH[r] for r in sorted(roles))
        raise refuse("wrong_role", f"此操作应由{names}办理")
    if actor.role is not Role.PROVIDER and not village_code.startswith(actor.jurisdiction):
        raise refuse("out_of_jurisdiction", "案件不在您的管辖范围内")


def check(state: CaseState, action: Action, actor: Actor) -> None:
    """Everything a validator can know without I/O; run again under the lock in the handler."""
    h = state.holding
    if h.status is CaseStatus.CLOSED:
        raise refuse("case_closed", "案件已办结，不能再办理")
    allowed_steps, roles = RULES[action]
    if h.step not in allowed_steps:
        raise refuse("wrong_step", f"案件当前处于“{steps.zh(h.step)}”环节，不能办理此操作")
    check_scope(actor, state.village_code, roles)
    if actor.role is Role.PROVIDER and actor.provider_id != h.provider_id:
        raise refuse("not_assigned_provider", "本案件未转介给贵机构")
    if actor.role is Role.APPLICANT and actor.person_id != state.person_id:
        raise refuse("not_own_case", "申请人只能办理本人的案件")
    if h.awaiting_applicant and action not in (Action.RESUBMIT, Action.WITHDRAW, Action.EXTEND, Action.RETRY):
        raise refuse("awaiting_applicant", "申请材料已退回补充，待申请人补齐后再办理")
    if action is Action.RESUBMIT and not h.awaiting_applicant:
        raise refuse("wrong_step", "案件没有待补充的材料")
    _check_deadline_action(state, action, actor)


def _check_deadline_action(state: CaseState, action: Action, actor: Actor) -> None:
    plan = state.deadline
    if action in (Action.SUSPEND, Action.RESUME, Action.EXTEND) and plan is None:
        raise refuse("no_deadline", "当前环节没有办理时限")
    if action is Action.SUSPEND and plan is not None and plan.suspended:
        raise refuse("already_suspended", "办理时限已暂停")
    if action is Action.RESUME and (plan is None or not plan.suspended or state.holding.awaiting_applicant):
        raise refuse("not_suspended", "办理时限未暂停，或正等待申请人补齐材料（补齐后自动恢复）")
    if action is Action.EXTEND and plan is not None and plan.extended:
        raise refuse("already_extended", "本环节办理时限已延长过一次，不能再次延长")
    if action is Action.REASSIGN and actor.role is Role.TOWNSHIP_WORKER and not actor.lead:
        raise refuse("wrong_role", "改派经办人应由乡镇(街道)分管领导或县级民政部门办理")
    if action is Action.RETRY and state.blocked is None:
        raise refuse("not_blocked", "案件没有受阻的自动处理")


def check_reassign(state: CaseState, assignee_id: UUID | None) -> None:
    """A new assignee only while a township worker holds the case; back to the queue from any step."""
    if assignee_id is not None and state.holding.holder_role is not Role.TOWNSHIP_WORKER:
        raise refuse("wrong_step", "案件当前不由乡镇(街道)工作人员经办，不能改派")
    if assignee_id is None and state.holding.assignee_id is None:
        raise refuse("not_assigned", "案件已在乡镇(街道)待办队列中，没有经办人")


def hold(state: CaseState, step: Step, role: Role, **changes: Any) -> CaseState:
    holding = state.holding.model_copy(
        update={"step": step, "holder_role": role, "awaiting_applicant": False, **changes}
    )
    return state.model_copy(update={"holding": holding})


def close(state: CaseState, outcome: Outcome) -> CaseState:
    holding = state.holding.model_copy(
        update={"status": CaseStatus.CLOSED, "outcome": outcome, "holder_role": None, "assignee_id": None}
    )
    return state.model_copy(update={"holding": holding})


def search_attributes(state: CaseState) -> list[SearchAttributeUpdate[Any]]:
    """The case's visibility record, kept in step with the PostgreSQL projection."""
    h, plan = state.holding, state.deadline
    code = state.village_code
    due = None if plan is None else datetime.combine(plan.due_on, time(0), tzinfo=CHINA)
    return [
        SA_STEP.value_set(h.step.value if h.status is CaseStatus.OPEN else "closed"),
        SA_COUNTY.value_set(code[:6]),
        SA_TOWNSHIP.value_set(code[:9]),
        SA_DUE.value_set(due) if due else SA_DUE.value_unset(),
        SA_PROVISIONAL.value_set(bool(plan and plan.provisional)),
    ]
