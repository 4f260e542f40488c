"""What must hold before an action (requirements, over the case and the asker) and of its form (checks): each a
plain function that raises a refusal with a code and a Chinese message. Named in the process table."""

from __future__ import annotations

from models.payloads.actor import Actor
from models.payloads.case import CaseState
from models.payloads.forms import PlanForm, ReassignForm, ReferForm
from vocabulary.case import Role
from vocabulary.refusal import refuse

# ---- requirements over the case -------------------------------------------------------------------------


def materials_were_returned(state: CaseState, actor: Actor) -> None:
    if not state.position.awaiting_applicant:
        raise refuse("wrong_step", "案件没有待补充的材料")


def not_with_provider(state: CaseState, actor: Actor) -> None:
    if state.position.holder_role is Role.PROVIDER:
        raise refuse("awaiting_provider", "案件已转介，正在等待服务供给主体答复")


def with_provider(state: CaseState, actor: Actor) -> None:
    if state.position.holder_role is not Role.PROVIDER:
        raise refuse("wrong_step", "案件尚未转介给服务供给主体")


def deadline_running(state: CaseState, actor: Actor) -> None:
    if state.deadline is None:
        raise refuse("no_deadline", "当前环节没有办理时限")


def deadline_not_suspended(state: CaseState, actor: Actor) -> None:
    deadline_running(state, actor)
    if state.deadline is not None and state.deadline.suspended:
        raise refuse("already_suspended", "办理时限已暂停")


def deadline_suspended_by_worker(state: CaseState, actor: Actor) -> None:
    """Resumed by hand only when a worker suspended it; the applicant's resubmission resumes the rest."""
    deadline_running(state, actor)
    if state.deadline is None or not state.deadline.suspended or state.position.awaiting_applicant:
        raise refuse("not_suspended", "办理时限未暂停，或正等待申请人补齐材料（补齐后自动恢复）")


def deadline_not_extended(state: CaseState, actor: Actor) -> None:
    deadline_running(state, actor)
    if state.deadline is not None and state.deadline.extended:
        raise refuse("already_extended", "本环节办理时限已延长过一次，不能再次延长")


def lead_or_county(state: CaseState, actor: Actor) -> None:
    if actor.role is Role.TOWNSHIP_WORKER and not actor.lead:
        raise refuse("wrong_role", "改派经办人应由乡镇(街道)分管领导或县级民政部门办理")


def township_worker_to_change(state: CaseState, actor: Actor) -> None:
    """A township worker holds the case (it can get a new one), or one is assigned (it can go back to the queue)."""
    if state.position.holder_role is not Role.TOWNSHIP_WORKER and state.position.assignee_id is None:
        raise refuse("wrong_step", "案件当前不由乡镇(街道)工作人员经办，不能改派")


def automatic_work_blocked(state: CaseState, actor: Actor) -> None:
    if state.blocked is None:
        raise refuse("not_blocked", "案件没有受阻的自动处理")


# ---- checks of the form -------------------------------------------------------------------------------------


def reassignment_fits(state: CaseState, form: ReassignForm) -> None:
    """A named assignee only while a township worker holds the case; back to the queue from any step."""
    if form.assignee_id is not None and state.position.holder_role is not Role.TOWNSHIP_WORKER:
        raise refuse("wrong_step", "案件当前不由乡镇(街道)工作人员经办，不能改派")
    if form.assignee_id is None and state.position.assignee_id is None:
        raise refuse("not_assigned", "案件已在乡镇(街道)待办队列中，没有经办人")


def provider_has_not_declined(state: CaseState, form: ReferForm) -> None:
    if form.provider_id in state.declined_by:
        raise refuse("provider_declined", "该服务供给主体已拒绝承接本案件，请选择其他服务供给主体")


def plan_within_approval(state: CaseState, form: PlanForm) -> None:
    approved = {i.item_code: i.quantity_per_month for i in state.approved}
    for item in form.items:
        if item.item_code not in approved:
            raise refuse("item_not_approved", f"服务项目“{item.item_code}”不在审核确认的服务事项中")
        if item.quantity_per_month > approved[item.item_code]:
            raise refuse("plan_exceeds_approval", f"服务项目“{item.item_code}”每月数量超过审核确认的数量")
