"""The SpiffWorkflow peer's process: the BPMN walk of intake.bpmn, and the checks assistflow's validators make.

What a Python team without Temporal would write: parse the BPMN once, keep each case as SpiffWorkflow's own
serialization, and on each request deserialize it, check who may complete which ready task, complete it with the
form as task data, run the engine to the next user task and serialize it again. The checks are the ones
workflows/transitions.py and workflows/guards.py make (step, role, jurisdiction, referred provider, own case,
not-yet-declined provider, plan within the approval); the forms are assistflow's own (models.payloads.forms), so
both sides accept and refuse the same bodies. Nothing here is imported by production code.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.parser import BpmnParser
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.util.task import TaskState

from models.payloads.actor import Actor
from models.payloads.forms import ArchiveForm, PlanForm, ReferForm, RegisterForm, RespondForm, ReviewForm, SurveyForm
from vocabulary.case import Action, Role, Step

BPMN = Path(__file__).with_name("intake.bpmn")
PROCESS_ID = "service_assistance_case"
A, V, T, P = Role.APPLICANT, Role.VILLAGE_ASSISTANT, Role.TOWNSHIP_WORKER, Role.PROVIDER

# Which of assistflow's steps a case waiting in each user task is in (the referral and its answer are both 转介).
STEP_OF_TASK: dict[str, Step] = {
    "registration": Step.REGISTRATION, "survey": Step.SURVEY, "review": Step.REVIEW,
    "referral": Step.REFERRAL, "referral_response": Step.REFERRAL, "plan": Step.SERVICE,
    "archive": Step.ARCHIVING, "dynamic_management": Step.DYNAMIC_MANAGEMENT,
}
OPENERS = frozenset({A, V, T})


class Refused(Exception):
    """A refusal with assistflow's code, HTTP status and Chinese message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(code)
        self.status, self.code, self.message = status, code, message


@dataclass(frozen=True)
class PeerAct:
    action: Action
    path: str  # under /cases/{id}/, as assistflow's api/case_actions.py PATHS
    task: str  # the user task it completes
    form: type[BaseModel]
    by: frozenset[Role]


ACTS: tuple[PeerAct, ...] = (
    PeerAct(Action.REGISTER, "registration", "registration", RegisterForm, frozenset({T})),
    PeerAct(Action.SURVEY, "survey", "survey", SurveyForm, frozenset({T, V})),
    PeerAct(Action.REVIEW, "review", "review", ReviewForm, frozenset({T})),
    PeerAct(Action.REFER, "referral", "referral", ReferForm, frozenset({T})),
    PeerAct(Action.RESPOND, "referral/response", "referral_response", RespondForm, frozenset({P})),
    PeerAct(Action.FILE_PLAN, "plan", "plan", PlanForm, frozenset({P})),
    PeerAct(Action.BUILD_ARCHIVE, "archive", "archive", ArchiveForm, frozenset({P})),
)
BY_PATH: dict[str, PeerAct] = {a.path: a for a in ACTS}


class Engine:
    """The parsed process and SpiffWorkflow's serializer: built once per process."""

    def __init__(self) -> None:
        parser = BpmnParser()
        parser.add_bpmn_file(str(BPMN))
        self.spec = parser.get_spec(PROCESS_ID)
        self.serializer = BpmnWorkflowSerializer()

    def open(self, facts: dict[str, Any]) -> tuple[str, Step]:
        """A new case waiting in its first user task: (serialization, step)."""
        wf = BpmnWorkflow(self.spec)
        wf.data.update(facts, seq=1, provider_id=None, declined_by=[], approved=[], outcome=None)
        wf.do_engine_steps()
        return self.serializer.serialize_json(wf), waiting_step(wf)

    def advance(self, instance: str, act: PeerAct, actor: Actor, form: BaseModel) -> tuple[str, Step, dict[str, Any]]:
        """Check and complete the action's task; (serialization, step it now waits in, the case facts)."""
        wf = self.serializer.deserialize_json(instance)
        facts: dict[str, Any] = wf.data
        if wf.is_completed():
            raise Refused(409, "case_closed", "案件已办结，不能再办理")
        task = wf.get_next_task(state=TaskState.READY, manual=True, spec_name=act.task)
        if task is None:
            raise Refused(409, "wrong_step", f"案件当前处于“{waiting_step(wf).zh}”环节，不能办理此操作")
        check_actor(act, actor, facts)
        data = form.model_dump(mode="json")
        check_form(act, facts, data)
        task.data[act.action.value] = data
        task.run()
        wf.do_engine_steps()
        remember(act, actor, facts, data)
        if wf.is_completed():  # refused at review: the case ends where it was
            facts["outcome"] = "refused"
            return self.serializer.serialize_json(wf), STEP_OF_TASK[act.task], facts
        return self.serializer.serialize_json(wf), waiting_step(wf), facts


def waiting_step(wf: Any) -> Step:
    ready = wf.get_next_task(state=TaskState.READY, manual=True)
    assert ready is not None, "an open case waits in a user task"
    return STEP_OF_TASK[ready.task_spec.name]


def check_opener(actor: Actor, village_code: str) -> None:
    if actor.role not in OPENERS:
        raise Refused(403, "wrong_role", "您的角色无权办理此操作")
    if not village_code.startswith(actor.jurisdiction):
        raise Refused(403, "out_of_jurisdiction", "该村(社区)不在您的管辖范围内")


def check_actor(act: PeerAct, actor: Actor, facts: dict[str, Any]) -> None:
    """transitions.refusal_for: role, jurisdiction, the referred provider, the applicant's own case."""
    if actor.role not in act.by:
        raise Refused(403, "wrong_role", f"此操作应由{'、'.join(r.zh for r in sorted(act.by))}办理")
    if actor.role is not P and not str(facts["village_code"]).startswith(actor.jurisdiction):
        raise Refused(403, "out_of_jurisdiction", "案件不在您的管辖范围内")
    if actor.role is P and str(actor.provider_id) != facts["provider_id"]:
        raise Refused(403, "not_assigned_provider", "本案件未转介给贵机构")
    if actor.role is A and str(actor.person_id) != facts["person_id"]:
        raise Refused(403, "not_own_case", "申请人只能办理本人的案件")


def check_form(act: PeerAct, facts: dict[str, Any], data: dict[str, Any]) -> None:
    """guards.provider_has_not_declined and guards.plan_within_approval."""
    if act.action is Action.REFER and data["provider_id"] in facts["declined_by"]:
        raise Refused(409, "provider_declined", "该服务供给主体已拒绝承接本案件，请选择其他服务供给主体")
    if act.action is Action.FILE_PLAN:
        approved = {i["item_code"]: i["quantity_per_month"] for i in facts["approved"]}
        for item in data["items"]:
            if item["item_code"] not in approved:
                raise Refused(422, "item_not_approved", f"服务项目“{item['item_code']}”不在审核确认的服务事项中")
            if item["quantity_per_month"] > approved[item["item_code"]]:
                raise Refused(422, "plan_exceeds_approval", f"服务项目“{item['item_code']}”每月数量超过审核确认的数量")


def remember(act: PeerAct, actor: Actor, facts: dict[str, Any], data: dict[str, Any]) -> None:
    """effects.py: who holds the case, what was approved, which provider has it or declined it."""
    facts["seq"] += 1
    if act.action in (Action.REGISTER, Action.REVIEW):
        facts["assignee_id"] = str(actor.user_id)
    if act.action is Action.REVIEW:
        facts["approved"] = data["items"]
    elif act.action is Action.REFER:
        facts["provider_id"] = data["provider_id"]
    elif act.action is Action.RESPOND and not data["accept"]:
        facts["declined_by"] = [*facts["declined_by"], facts["provider_id"]]
        facts["provider_id"] = None
    elif act.action is Action.BUILD_ARCHIVE:
        facts["assignee_id"] = None
