"""What must hold before an action (requirements, over the case and the asker) and of its form (checks): each a
plain function that raises a refusal with a code and a Chinese message. Named in the process table."""

from __future__ import annotations

from datetime import timedelta

from models.payloads.actor import Actor
from models.payloads.case import CaseState
from models.payloads.dynamic import DecideForm, ProposeForm, TransferForm
from models.payloads.forms import PlanForm, ReassignForm, ReferForm
from vocabulary.case import Role
from vocabulary.china import CHINA
from vocabulary.dynamic import ChangeKind, DecisionResult
from vocabulary.refusal import refuse
from vocabulary.urgent import UrgentState

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


# ---- 动态管理: the task, the proposal, the hearing ---------------------------------------------------------


def task_open(state: CaseState, actor: Actor) -> None:
    if not state.task_events:
        raise refuse("no_task", "案件没有待核实的身份变动")


def no_proposal(state: CaseState, actor: Actor) -> None:
    if state.proposal is not None:
        raise refuse("proposal_pending", "已告知拟变更或拟终止服务，请先作出决定")


def proposal_pending(state: CaseState, actor: Actor) -> None:
    if state.proposal is None:
        raise refuse("no_proposal", "没有待决定的拟变更或拟终止事项，请先告知服务对象")


def hearing_open(state: CaseState, actor: Actor) -> None:
    p = state.proposal
    if p is None or p.hearing_until is None or p.stated or p.lapsed:
        raise refuse("no_hearing", "当前没有正在进行的陈述申辩期")


def heard(state: CaseState, actor: Actor) -> None:
    """The decision waits for the recipient's statement, or for the hearing period to end without one."""
    p = state.proposal
    if p is not None and not p.heard and p.hearing_until is not None:
        until = p.hearing_until.astimezone(CHINA) - timedelta(seconds=1)
        raise refuse("hearing_not_over",
                     f"陈述申辩期限至{until:%Y年%m月%d日}届满；期满前未记录服务对象的陈述申辩意见，不能作出决定")


def change_unacknowledged(state: CaseState, actor: Actor) -> None:
    if state.unacknowledged is None:
        raise refuse("nothing_to_acknowledge", "没有待确认的服务变更")


def decision_matches_proposal(state: CaseState, form: DecideForm) -> None:
    p = state.proposal
    if p is None:
        return
    if form.result is DecisionResult.STOP and p.kind is not ChangeKind.STOP:
        raise refuse("decision_mismatch", "告知的是拟变更服务，不能直接作出终止决定；请重新告知")
    if form.result is DecisionResult.CHANGE and p.kind is ChangeKind.STOP:
        raise refuse("decision_mismatch", "告知的是拟终止服务，请作出终止或维持原服务的决定")


def change_fits_kind(state: CaseState, form: ProposeForm) -> None:
    """The proposed plan is what its kind says: fewer of the same, fewer items, or more items."""
    now = {i.item_code: i.quantity_per_month for i in state.approved}
    new = {i.item_code: i.quantity_per_month for i in form.items}
    ok = {
        ChangeKind.STOP: True,
        ChangeKind.REDUCE: set(new) == set(now) and all(new[c] <= now[c] for c in new) and new != now,
        ChangeKind.REMOVE_ITEMS: set(new) < set(now) and all(new[c] <= now[c] for c in new),
        ChangeKind.ADD_ITEMS: set(new) > set(now) and all(new[c] >= now[c] for c in now),
    }[form.kind]
    if not ok:
        raise refuse("change_not_of_kind", f"拟定的服务事项与“{form.kind.zh}”不符，请核对变更后的服务事项和数量")


def transfer_within_county(state: CaseState, form: TransferForm) -> None:
    if form.to_village[:6] != state.village_code[:6]:
        raise refuse("not_in_county", "迁入地不在本县(区)：迁出本县的，应告知后作出终止服务决定")
    if form.to_village[:9] == state.village_code[:9]:
        raise refuse("same_township", "迁入地与现所在乡镇(街道)相同，无需转移")


# ---- 先行救助 (the urgent path) -----------------------------------------------------------------------------


def not_urgent(state: CaseState, actor: Actor) -> None:
    if state.urgent is UrgentState.CONFIRMED:
        raise refuse("already_urgent", "案件已先行救助，无需重复标记")
    if state.urgent is UrgentState.REQUESTED:
        raise refuse("urgent_requested", "协理员已申请先行救助，请乡镇(街道)确认")


def urgent_requested(state: CaseState, actor: Actor) -> None:
    if state.urgent is not UrgentState.REQUESTED:
        raise refuse("no_urgent_request", "没有待确认的先行救助申请")
