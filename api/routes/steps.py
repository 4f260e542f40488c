"""The human steps of a case. Each is one typed Workflow Update: the workflow's validator refuses a wrong
step, role, jurisdiction or provider before anything is written."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter

from api.access import load_case
from api.case_calls import advance
from api.deps import ActorDep, IdempotencyKey, Resources, ResourcesDep, SessionDep
from models.payloads import (
    Actor,
    ArchiveForm,
    CloseForm,
    ExtendForm,
    Payload,
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
from workflows.case import CaseWorkflow

router = APIRouter(prefix="/cases/{case_id}", tags=["办理环节"])


async def _advance(
    case_id: UUID, update: Any, form: Payload, actor: Actor, session: Any, resources: Resources, key: str | None
) -> StepOut:
    await load_case(session, actor, case_id)  # 404 / 403 from our own records, before Temporal is asked
    await session.close()
    return StepOut.of(await advance(resources, case_id, update, actor, form, key))


@router.post("/registration", summary="受理登记：分类登记服务需求")
async def register(case_id: UUID, form: RegisterForm, actor: ActorDep, session: SessionDep,
                   resources: ResourcesDep, key: IdempotencyKey = None) -> StepOut:
    return await _advance(case_id, CaseWorkflow.register, form, actor, session, resources, key)


@router.post("/materials-request", summary="受理登记：材料不全，一次性告知需补充的材料")
async def return_incomplete(case_id: UUID, form: ReturnForm, actor: ActorDep, session: SessionDep,
                            resources: ResourcesDep, key: IdempotencyKey = None) -> StepOut:
    return await _advance(case_id, CaseWorkflow.return_incomplete, form, actor, session, resources, key)


@router.post("/resubmission", summary="受理登记：补齐材料后重新提交")
async def resubmit(case_id: UUID, form: ResubmitForm, actor: ActorDep, session: SessionDep,
                   resources: ResourcesDep, key: IdempotencyKey = None) -> StepOut:
    return await _advance(case_id, CaseWorkflow.resubmit, form, actor, session, resources, key)


@router.post("/survey", summary="入户调查：两人调查组录入调查与需求评估")
async def survey(case_id: UUID, form: SurveyForm, actor: ActorDep, session: SessionDep,
                 resources: ResourcesDep, key: IdempotencyKey = None) -> StepOut:
    return await _advance(case_id, CaseWorkflow.survey, form, actor, session, resources, key)


@router.post("/review", summary="审核确认：确认资格并选定服务事项，或书面说明理由不予确认")
async def review(case_id: UUID, form: ReviewForm, actor: ActorDep, session: SessionDep,
                 resources: ResourcesDep, key: IdempotencyKey = None) -> StepOut:
    return await _advance(case_id, CaseWorkflow.review, form, actor, session, resources, key)


@router.post("/referral", summary="转介服务：转介给服务供给主体")
async def refer(case_id: UUID, form: ReferForm, actor: ActorDep, session: SessionDep,
                resources: ResourcesDep, key: IdempotencyKey = None) -> StepOut:
    return await _advance(case_id, CaseWorkflow.refer, form, actor, session, resources, key)


@router.post("/referral/response", summary="转介服务：服务供给主体承接或拒绝")
async def respond(case_id: UUID, form: RespondForm, actor: ActorDep, session: SessionDep,
                  resources: ResourcesDep, key: IdempotencyKey = None) -> StepOut:
    return await _advance(case_id, CaseWorkflow.respond_referral, form, actor, session, resources, key)


@router.post("/plan", summary="开展服务：服务供给主体制定服务方案")
async def file_plan(case_id: UUID, form: PlanForm, actor: ActorDep, session: SessionDep,
                    resources: ResourcesDep, key: IdempotencyKey = None) -> StepOut:
    return await _advance(case_id, CaseWorkflow.file_plan, form, actor, session, resources, key)


@router.post("/archive", summary="建立档案：一人一档，编制服务号")
async def build_archive(case_id: UUID, form: ArchiveForm, actor: ActorDep, session: SessionDep,
                        resources: ResourcesDep, key: IdempotencyKey = None) -> StepOut:
    return await _advance(case_id, CaseWorkflow.build_archive, form, actor, session, resources, key)


@router.post("/withdrawal", summary="审核确认前撤回申请")
async def withdraw(case_id: UUID, form: WithdrawForm, actor: ActorDep, session: SessionDep,
                   resources: ResourcesDep, key: IdempotencyKey = None) -> StepOut:
    return await _advance(case_id, CaseWorkflow.withdraw, form, actor, session, resources, key)


@router.post("/closure", summary="无服务供给主体承接时结案")
async def close(case_id: UUID, form: CloseForm, actor: ActorDep, session: SessionDep,
                resources: ResourcesDep, key: IdempotencyKey = None) -> StepOut:
    return await _advance(case_id, CaseWorkflow.close, form, actor, session, resources, key)


@router.post("/stop", summary="动态管理：听取服务对象意见后，书面决定停止服务并结案")
async def stop_services(case_id: UUID, form: StopForm, actor: ActorDep, session: SessionDep,
                        resources: ResourcesDep, key: IdempotencyKey = None) -> StepOut:
    return await _advance(case_id, CaseWorkflow.stop_services, form, actor, session, resources, key)


@router.post("/deadline/suspension", summary="办理时限暂停：等待申请人（如补充材料）期间停止计时")
async def suspend_deadline(case_id: UUID, form: SuspendForm, actor: ActorDep, session: SessionDep,
                           resources: ResourcesDep, key: IdempotencyKey = None) -> StepOut:
    return await _advance(case_id, CaseWorkflow.suspend_deadline, form, actor, session, resources, key)


@router.post("/deadline/resumption", summary="办理时限恢复：从暂停处继续计时")
async def resume_deadline(case_id: UUID, form: ResumeForm, actor: ActorDep, session: SessionDep,
                          resources: ResourcesDep, key: IdempotencyKey = None) -> StepOut:
    return await _advance(case_id, CaseWorkflow.resume_deadline, form, actor, session, resources, key)


@router.post("/deadline/extension", summary="办理时限延长：县级民政部门说明理由后延长一次")
async def extend_deadline(case_id: UUID, form: ExtendForm, actor: ActorDep, session: SessionDep,
                          resources: ResourcesDep, key: IdempotencyKey = None) -> StepOut:
    return await _advance(case_id, CaseWorkflow.extend_deadline, form, actor, session, resources, key)


@router.post("/assignee", summary="改派经办人（乡镇分管领导或县级民政部门）")
async def reassign(case_id: UUID, form: ReassignForm, actor: ActorDep, session: SessionDep,
                   resources: ResourcesDep, key: IdempotencyKey = None) -> StepOut:
    return await _advance(case_id, CaseWorkflow.reassign, form, actor, session, resources, key)


@router.post("/retry", summary="重试受阻的自动处理（排除故障原因后）")
async def retry_blocked(case_id: UUID, form: RetryForm, actor: ActorDep, session: SessionDep,
                        resources: ResourcesDep, key: IdempotencyKey = None) -> StepOut:
    return await _advance(case_id, CaseWorkflow.retry_blocked, form, actor, session, resources, key)
