"""The human steps of a case: one route per row of the process table (workflows/process.py), each the
row's Workflow Update. The workflow's validator refuses a wrong step, role, jurisdiction, provider or form
before anything is written; `CaseStep` checks our own records first."""

from __future__ import annotations

from fastapi import APIRouter

from api.case_actions import CaseStepDep, path_of
from models.payloads.dynamic import (
    AcknowledgeForm,
    DecideForm,
    DismissForm,
    ProposeForm,
    StatementForm,
    StopForm,
    TransferForm,
)
from models.payloads.forms import (
    ArchiveForm,
    CloseForm,
    ExtendForm,
    PlanForm,
    ReassignForm,
    ReferForm,
    RegisterForm,
    RespondForm,
    ResubmitForm,
    ResumeForm,
    RetryForm,
    ReturnForm,
    ReviewForm,
    SurveyForm,
    SuspendForm,
    WithdrawForm,
)
from models.schemas import StepOut
from workflows import process as p

router = APIRouter(prefix="/cases/{case_id}", tags=["办理环节"])


@router.post(path_of(p.REGISTER), summary="受理登记：分类登记服务需求")
async def register(form: RegisterForm, step: CaseStepDep) -> StepOut:
    return await step(p.REGISTER, form)


@router.post(path_of(p.RETURN_INCOMPLETE), summary="受理登记：材料不全，一次性告知需补充的材料")
async def return_incomplete(form: ReturnForm, step: CaseStepDep) -> StepOut:
    return await step(p.RETURN_INCOMPLETE, form)


@router.post(path_of(p.RESUBMIT), summary="受理登记：补齐材料后重新提交")
async def resubmit(form: ResubmitForm, step: CaseStepDep) -> StepOut:
    return await step(p.RESUBMIT, form)


@router.post(path_of(p.SURVEY), summary="入户调查：两人调查组录入调查与需求评估")
async def survey(form: SurveyForm, step: CaseStepDep) -> StepOut:
    return await step(p.SURVEY, form)


@router.post(path_of(p.REVIEW), summary="审核确认：确认资格并选定服务事项，或书面说明理由不予确认")
async def review(form: ReviewForm, step: CaseStepDep) -> StepOut:
    return await step(p.REVIEW, form)


@router.post(path_of(p.REFER), summary="转介服务：转介给服务供给主体")
async def refer(form: ReferForm, step: CaseStepDep) -> StepOut:
    return await step(p.REFER, form)


@router.post(path_of(p.RESPOND), summary="转介服务：服务供给主体承接或拒绝")
async def respond(form: RespondForm, step: CaseStepDep) -> StepOut:
    return await step(p.RESPOND, form)


@router.post(path_of(p.FILE_PLAN), summary="开展服务：服务供给主体制定服务方案")
async def file_plan(form: PlanForm, step: CaseStepDep) -> StepOut:
    return await step(p.FILE_PLAN, form)


@router.post(path_of(p.BUILD_ARCHIVE), summary="建立档案：一人一档，编制服务号")
async def build_archive(form: ArchiveForm, step: CaseStepDep) -> StepOut:
    return await step(p.BUILD_ARCHIVE, form)


@router.post(path_of(p.WITHDRAW), summary="审核确认前撤回申请")
async def withdraw(form: WithdrawForm, step: CaseStepDep) -> StepOut:
    return await step(p.WITHDRAW, form)


@router.post(path_of(p.CLOSE), summary="无服务供给主体承接时结案")
async def close(form: CloseForm, step: CaseStepDep) -> StepOut:
    return await step(p.CLOSE, form)


@router.post(path_of(p.STOP), summary="停止服务：依服务对象本人签字的书面申请，书面决定停止服务并结案")
async def stop_services(form: StopForm, step: CaseStepDep) -> StepOut:
    return await step(p.STOP, form)


@router.post(path_of(p.DISMISS_TASK), summary="动态管理：核实身份变动后认为无需变更服务")
async def dismiss_task(form: DismissForm, step: CaseStepDep) -> StepOut:
    return await step(p.DISMISS_TASK, form)


@router.post(path_of(p.PROPOSE), summary="动态管理：拟变更或拟终止服务，出具告知书，开始陈述申辩期")
async def propose_change(form: ProposeForm, step: CaseStepDep) -> StepOut:
    return await step(p.PROPOSE, form)


@router.post(path_of(p.RECORD_STATEMENT), summary="动态管理：记录服务对象的陈述申辩意见（本人、协理员或工作人员）")
async def record_statement(form: StatementForm, step: CaseStepDep) -> StepOut:
    return await step(p.RECORD_STATEMENT, form)


@router.post(path_of(p.DECIDE), summary="动态管理：陈述申辩后（或期满后）作出变更或终止服务决定书")
async def decide_change(form: DecideForm, step: CaseStepDep) -> StepOut:
    return await step(p.DECIDE, form)


@router.post(path_of(p.ACKNOWLEDGE), summary="动态管理：服务供给主体确认服务变更")
async def acknowledge_change(form: AcknowledgeForm, step: CaseStepDep) -> StepOut:
    return await step(p.ACKNOWLEDGE, form)


@router.post(path_of(p.TRANSFER), summary="动态管理：县内迁移，案件转至迁入地乡镇(街道)")
async def transfer(form: TransferForm, step: CaseStepDep) -> StepOut:
    return await step(p.TRANSFER, form)


@router.post(path_of(p.SUSPEND), summary="办理时限暂停：等待申请人（如补充材料）期间停止计时")
async def suspend_deadline(form: SuspendForm, step: CaseStepDep) -> StepOut:
    return await step(p.SUSPEND, form)


@router.post(path_of(p.RESUME), summary="办理时限恢复：从暂停处继续计时")
async def resume_deadline(form: ResumeForm, step: CaseStepDep) -> StepOut:
    return await step(p.RESUME, form)


@router.post(path_of(p.EXTEND), summary="办理时限延长：县级民政部门说明理由后延长一次")
async def extend_deadline(form: ExtendForm, step: CaseStepDep) -> StepOut:
    return await step(p.EXTEND, form)


@router.post(path_of(p.REASSIGN), summary="改派经办人（乡镇分管领导或县级民政部门）")
async def reassign(form: ReassignForm, step: CaseStepDep) -> StepOut:
    return await step(p.REASSIGN, form)


@router.post(path_of(p.RETRY), summary="重试受阻的自动处理（排除故障原因后）")
async def retry_blocked(form: RetryForm, step: CaseStepDep) -> StepOut:
    return await step(p.RETRY, form)
