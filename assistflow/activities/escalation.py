"""The automatic deadline work of a case: an escalation rung (a notification row, idempotent on
(case, deadline, rung)), recomputation after a calendar is loaded, and marking a case blocked."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from temporalio import activity

from assistflow.activities.common import StepActivities
from assistflow.activities.deadlines import current_plan
from assistflow.models.deadline_tables import Notification
from assistflow.models.payloads import (
    Action,
    BlockedInput,
    DeadlinePlan,
    EscalateInput,
    RecomputeInput,
    Rung,
    StepWritten,
)
from assistflow.models.tables import CASES, DIVISIONS
from assistflow.workflows import steps
from assistflow.workflows.steps import Role


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


_RUNG_ZH = {Rung.REMINDER: "即将到期", Rung.DUE: "今日到期", Rung.OVERDUE: "已逾期"}


class EscalationActivities(StepActivities):
    @activity.defn(name=Action.ESCALATE.value)
    async def escalate(self, job: EscalateInput) -> None:
        plan = job.deadline
        async with self._sessions.begin() as session:
            case = (await session.execute(
                select(CASES, DIVISIONS.c.name.label("village_name"))
                .outerjoin(DIVISIONS, DIVISIONS.c.code == CASES.c.village_code).where(CASES.c.id == job.case_id)
            )).one()
            provisional = "（暂按周一至周五计算，待公布节假日安排后重算）" if plan.provisional else ""
            message = (f"【{_RUNG_ZH[job.rung]}】{case.village_name or case.village_code}的案件在"
                       f"“{steps.zh(plan.step)}”环节的办理时限为{plan.due_on:%Y年%m月%d日}{provisional}，请及时办理。")
            await session.execute(insert(Notification).values(
                case_id=job.case_id, deadline_seq=plan.seq, rung=job.rung.value, step=plan.step.value,
                due_on=plan.due_on, message=message, created_at=job.at, **_recipient(case, job.rung),
            ).on_conflict_do_nothing(constraint="uq_notification_rung"))

    @activity.defn(name=Action.RECOMPUTE.value)
    async def recompute(self, job: RecomputeInput) -> DeadlinePlan | None:
        """After a calendar is loaded: the same deadline (same seq, same rungs fired) on the new calendar."""
        async with self._sessions.begin() as session:
            columns, plan = await current_plan(session, job.case_id, job.at, fresh=True)
            if plan is not None:
                await session.execute(update(CASES).where(CASES.c.id == job.case_id).values(**columns))
        return plan

    @activity.defn(name=Action.MARK_BLOCKED.value)
    async def mark_blocked(self, job: BlockedInput) -> StepWritten:
        async with self._sessions.begin() as session:
            await session.execute(update(CASES).where(CASES.c.id == job.case_id).values(
                blocked_reason=f"{job.action.value}: {job.reason}", blocked_at=job.at))
        return StepWritten(at=job.at)
