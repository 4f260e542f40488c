"""Step 9, 动态管理: the monthly review of a case in service, and stopping services.

The monthly review re-checks eligibility against the person's current category and conditions and records
the result; it never stops services by itself, because reduce-or-stop needs the recipient heard first and a
written decision (`stop_services`).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from temporalio import activity

from activities.case.closing import written_closure
from activities.case.review import current_eligibility
from activities.case.saving import save_step
from infra.db import Sessions
from models.case_tables import DynamicReview
from models.deadline_tables import Notification
from models.payloads.forms import StopForm
from models.payloads.jobs import ReviewDue, ReviewOutcome, StepRecord, StepSaved
from models.tables import CASES
from vocabulary.case import Outcome, Role, Step
from vocabulary.china import china_day
from workflows.case_activities import CaseActivities


class DynamicManagementActivities(CaseActivities):
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    @activity.defn
    async def monthly_review(self, due: ReviewDue) -> ReviewOutcome:
        now = due.at
        async with self._sessions.begin() as session:
            eligibility, category = await current_eligibility(session, due.case_id, china_day(now))
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
                    step=Step.DYNAMIC_MANAGEMENT.value, due_on=china_day(now),
                    recipient_role=Role.TOWNSHIP_WORKER.value, recipient_scope=township,
                    message=(f"【月度复核】{due.period}复核发现服务对象已不符合服务类社会救助对象条件"
                             f"（{eligibility.basis}）。请听取服务对象本人意见后，书面作出变更或停止服务的决定。"),
                    created_at=now,
                ).on_conflict_do_nothing(constraint="uq_notification_rung"))
        return ReviewOutcome(still_eligible=eligibility.eligible)

    @activity.defn
    async def stop_services(self, record: StepRecord[StopForm]) -> StepSaved:
        form = record.form
        writes = written_closure(record, Outcome.STOPPED, hearing_record=form.hearing_record,
                                 effective_on=form.effective_on)
        return await save_step(self._sessions, record, writes)
