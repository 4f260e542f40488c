"""The approval deadline of a monthly statement (资金结算): its due date on the working calendar, counted from
the day the statement was computed, and its escalation rungs, each written once per statement."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from temporalio import activity

from activities.deadlines.plan import county_rules, work_calendar
from infra.db import Sessions
from models.deadline_tables import Notification
from models.payloads.case import DeadlinePlan, RungAt
from models.settlement.payloads import StatementDeadlineInput, StatementEscalateInput
from models.settlement.tables import STATEMENTS
from models.tables import DIVISIONS, PROVIDERS
from policy import deadlines as policy
from vocabulary.case import Role, Rung, Step
from vocabulary.china import china_day
from vocabulary.deadlines import DeadlineRule
from vocabulary.settlement import StatementStatus
from workflows.settlement_activities import SettlementActivities


def _recipient(purchaser: str, county: str, rung: Rung) -> dict[str, object]:
    by_township = len(purchaser) == 9
    if rung is Rung.OVERDUE or not by_township:  # a county's own statements go to its officers throughout
        return {"recipient_role": Role.COUNTY_OFFICER.value, "recipient_scope": county}
    return {"recipient_role": Role.TOWNSHIP_WORKER.value, "recipient_scope": purchaser,
            "lead_only": rung is Rung.DUE}


class StatementDeadlineActivities(SettlementActivities):
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    @activity.defn
    async def statement_deadline(self, job: StatementDeadlineInput) -> DeadlinePlan | None:
        async with self._sessions.begin() as session:
            row = (await session.execute(select(STATEMENTS.c.county_code, STATEMENTS.c.computed_at).where(
                STATEMENTS.c.id == job.statement_id))).one()
            cal = await work_calendar(session)
            rules = await county_rules(session, row.county_code)
            due = cal.add(china_day(row.computed_at), rules[DeadlineRule.SETTLEMENT_APPROVAL])
            await session.execute(update(STATEMENTS).where(
                STATEMENTS.c.id == job.statement_id, STATEMENTS.c.status == StatementStatus.DRAFT.value,
            ).values(due_on=due.on))
        rungs = policy.rung_instants(cal, due.on, rules[policy.REMINDER_BEFORE], job.at)
        return DeadlinePlan(seq=0, step=Step.SETTLEMENT, due_on=due.on, provisional=due.provisional,
                            rungs=[RungAt(rung=Rung(k), at=v) for k, v in rungs.items()])

    @activity.defn
    async def statement_escalate(self, job: StatementEscalateInput) -> None:
        async with self._sessions.begin() as session:
            row = (await session.execute(
                select(STATEMENTS.c.statement_no, STATEMENTS.c.period, STATEMENTS.c.purchaser_code,
                       STATEMENTS.c.county_code, STATEMENTS.c.status, PROVIDERS.c.name.label("provider"),
                       DIVISIONS.c.name.label("purchaser"))
                .join(PROVIDERS, PROVIDERS.c.id == STATEMENTS.c.provider_id)
                .outerjoin(DIVISIONS, DIVISIONS.c.code == STATEMENTS.c.purchaser_code)
                .where(STATEMENTS.c.id == job.statement_id)
            )).one()
            if row.status != StatementStatus.DRAFT.value:  # decided meanwhile: nobody needs reminding
                return
            provisional = "（暂按周一至周五计算）" if job.deadline.provisional else ""
            message = (f"【{job.rung.zh}】{row.purchaser or row.purchaser_code}与{row.provider}"
                       f"{row.period}月度结算单（{row.statement_no}）的审核时限为"
                       f"{job.deadline.due_on:%Y年%m月%d日}{provisional}，请及时审核确认或退回。")
            await session.execute(insert(Notification).values(
                statement_id=job.statement_id, deadline_seq=0, rung=job.rung.value, step=Step.SETTLEMENT.value,
                due_on=job.deadline.due_on, message=message, created_at=job.at,
                **_recipient(row.purchaser_code, row.county_code, job.rung),
            ).on_conflict_do_nothing(constraint="uq_notification_statement_rung"))
