"""Step 9, 动态管理: the monthly review of a case in service, and stopping services.

The monthly review re-checks eligibility against the person's current category and conditions and records
the result; it never stops services by itself, because reduce-or-stop needs the recipient heard first and a
written decision (`stop_services`).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio import activity

from activities.case.common import StepActivities
from activities.case.review import current_eligibility
from models.deadline_tables import Notification
from models.payloads import (
    Action,
    Outcome,
    Record,
    ReviewDue,
    ReviewOutcome,
    StepWritten,
    StopForm,
)
from models.tables import CASES, Closure, DynamicReview
from workflows.steps import Role, Step
from workflows.timing import CHINA


class DynamicManagementActivities(StepActivities):
    @activity.defn(name=Action.MONTHLY_REVIEW.value)
    async def monthly_review(self, due: ReviewDue) -> ReviewOutcome:
        now = due.at
        async with self._sessions.begin() as session:
            eligibility, category = await current_eligibility(session, due.case_id, now.astimezone(CHINA).date())
            await session.execute(
                insert(DynamicReview)
                .values(case_id=due.case_id, period=due.period, still_eligible=eligibility.eligible,
                        category=category, reviewed_at=now)
                .on_conflict_do_nothing(index_elements=["case_id", "period"])
            )
            if not eligibility.eligible:  # someone must hear the recipient and decide: tell the township
                township = (await session.execute(
                    select(CASES.c.township_code).where(CASES.c.id == due.case_id))).scalar_one()
                await session.execute(insert(Notification).values(
                    case_id=due.case_id, deadline_seq=0, rung=f"review:{due.period}",
                    step=Step.DYNAMIC_MANAGEMENT.value, due_on=now.astimezone(CHINA).date(),
                    recipient_role=Role.TOWNSHIP_WORKER.value, recipient_scope=township,
                    message=(f"【月度复核】{due.period}复核发现服务对象已不符合服务类社会救助对象条件"
                             f"（{eligibility.basis}）。请听取服务对象本人意见后，书面作出变更或停止服务的决定。"),
                    created_at=now,
                ).on_conflict_do_nothing(constraint="uq_notification_rung"))
        return ReviewOutcome(still_eligible=eligibility.eligible)

    @activity.defn(name=Action.STOP.value)
    async def stop_services(self, record: Record[StopForm]) -> StepWritten:
        t, body = record.transition, record.body

        async def writes(session: AsyncSession) -> None:
            session.add(Closure(
                case_id=t.case_id, outcome=Outcome.STOPPED.value, reason=body.reason,
                hearing_record=body.hearing_record, effective_on=body.effective_on,
                decided_by=t.actor.user_id, decided_at=t.at,
            ))

        return await self._apply(t, body, writes)
