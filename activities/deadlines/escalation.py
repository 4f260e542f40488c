"""The automatic deadline work of a case: an escalation rung (a notification row, idempotent on
(case, deadline, rung)), recomputation after a calendar is loaded, and marking a case blocked."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio import activity

from activities.case.saving import save_step
from activities.deadlines.plan import current_plan
from infra.db import Sessions
from models.deadline_tables import Notification
from models.payloads.case import DeadlinePlan
from models.payloads.forms import ExtendForm, ReassignForm, ResumeForm, RetryForm, SuspendForm
from models.payloads.jobs import (
    BlockedInput,
    CaseIds,
    CasePageQuery,
    EscalateInput,
    RecomputeInput,
    StepRecord,
    StepSaved,
)
from models.tables import CASES, DIVISIONS, USERS
from vocabulary.case import CaseStatus, Role, Rung
from vocabulary.refusal import refuse
from workflows.case_activities import CaseActivities


def _recipient(case: Any, rung: Rung) -> dict[str, Any]:
    if rung is Rung.DUE:
        return {"recipient_role": Role.TOWNSHIP_WORKER.value, "recipient_scope": case.township_code,
                "lead_only": True}
    if rung is Rung.OVERDUE:
        return {"recipient_role": Role.COUNTY_OFFICER.value, "recipient_scope": case.county_code}
    holder = Role(case.holder_role)
    if holder is Role.TOWNSHIP_WORKER and case.assignee_id is not None:
        return {"recipient_role": holder.value, "recipient_scope": case.village_code,
                "recipient_user_id": case.assignee_id}
    if holder is Role.PROVIDER:
        return {"recipient_role": holder.value, "recipient_scope": case.county_code,
                "recipient_provider_id": case.provider_id}
    return {"recipient_role": holder.value, "recipient_scope": case.village_code}


class EscalationActivities(CaseActivities):
    """The workflow's own deadline work: rungs, recomputation after a calendar load, blocked marks."""

    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    @activity.defn
    async def escalate(self, job: EscalateInput) -> None:
        plan = job.deadline
        async with self._sessions.begin() as session:
            case = (await session.execute(
                select(CASES, DIVISIONS.c.name.label("village_name"))
                .outerjoin(DIVISIONS, DIVISIONS.c.code == CASES.c.village_code).where(CASES.c.id == job.case_id)
            )).one()
            provisional = "（暂按周一至周五计算，待公布节假日安排后重算）" if plan.provisional else ""
            message = (f"【{job.rung.zh}】{case.village_name or case.village_code}的案件在"
                       f"“{plan.step.zh}”环节的办理时限为{plan.due_on:%Y年%m月%d日}{provisional}，请及时办理。")
            await session.execute(insert(Notification).values(
                case_id=job.case_id, deadline_seq=plan.seq, rung=job.rung.value, step=plan.step.value,
                due_on=plan.due_on, message=message, created_at=job.at, **_recipient(case, job.rung),
            ).on_conflict_do_nothing(constraint="uq_notification_rung"))

    @activity.defn
    async def recompute_deadline(self, job: RecomputeInput) -> DeadlinePlan | None:
        """After a calendar is loaded: the same deadline (same seq, same rungs fired) on the new calendar."""
        async with self._sessions.begin() as session:
            columns, plan = await current_plan(session, job.case_id, job.at, fresh=True)
            if plan is not None:
                await session.execute(update(CASES).where(CASES.c.id == job.case_id).values(**columns))
        return plan

    @activity.defn
    async def provisional_cases(self, query: CasePageQuery) -> CaseIds:
        where = [CASES.c.status == CaseStatus.OPEN.value, CASES.c.due_provisional.is_(True)]
        if query.after is not None:
            where.append(CASES.c.id > query.after)
        async with self._sessions() as session:
            ids = (await session.execute(
                select(CASES.c.id).where(*where).order_by(CASES.c.id).limit(query.limit)
            )).scalars().all()
        return CaseIds(ids=list(ids))

    @activity.defn
    async def mark_blocked(self, job: BlockedInput) -> None:
        async with self._sessions.begin() as session:
            await session.execute(update(CASES).where(CASES.c.id == job.case_id).values(
                blocked_reason=f"{job.action.value}: {job.reason}", blocked_at=job.at))


class DeadlineStepActivities(CaseActivities):
    """A supervisor's moves on a running deadline or a blocked case: the audit row and the projection (with
    the deadline they change), each one transaction, idempotent on (case, seq)."""

    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    @activity.defn
    async def suspend_deadline(self, record: StepRecord[SuspendForm]) -> StepSaved:
        return await save_step(self._sessions, record)

    @activity.defn
    async def resume_deadline(self, record: StepRecord[ResumeForm]) -> StepSaved:
        return await save_step(self._sessions, record)

    @activity.defn
    async def extend_deadline(self, record: StepRecord[ExtendForm]) -> StepSaved:
        return await save_step(self._sessions, record)

    @activity.defn
    async def retry_blocked(self, record: StepRecord[RetryForm]) -> StepSaved:
        return await save_step(self._sessions, record)

    @activity.defn
    async def reassign(self, record: StepRecord[ReassignForm]) -> StepSaved:
        t, form = record.transition, record.form

        async def check_assignee(session: AsyncSession) -> None:
            if form.assignee_id is None:
                return  # back to the township's queue: nobody to check
            village = (await session.execute(select(CASES.c.village_code).where(CASES.c.id == t.case_id))).scalar_one()
            user = (await session.execute(select(USERS.c.role, USERS.c.jurisdiction, USERS.c.active).where(
                USERS.c.id == form.assignee_id))).first()
            if (user is None or not user.active or user.role != Role.TOWNSHIP_WORKER.value
                    or not village.startswith(user.jurisdiction)):
                raise refuse("bad_assignee", "新经办人应为负责该案件所在辖区的在岗乡镇(街道)社会救助工作人员")

        return await save_step(self._sessions, record, check_assignee)
