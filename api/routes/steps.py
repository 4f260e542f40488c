"""The human steps of a case: one route per row of the process table (workflows/process.py), each the
row's Workflow Update. The workflow's validator refuses a wrong step, role, jurisdiction, provider or form
before anything is written; `CaseStep` checks our own records first."""

from __future__ import annotations

from fastapi import APIRouter

from api.case_actions import CaseStepDep, path_of
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
    StopForm,
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


@router.post(path_of(p.STOP), summary="动态管理：听取服务对象意见后，书面决定停止服务并结案")
async def stop_services(form: StopForm, step: CaseStepDep) -> StepOut:
    return await step(p.STOP, form)


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
