"""Status events reaching a case (动态管理): taken in by the case workflow (a task for the township, or the end
of the case on a death), the monthly review that finds a case no longer eligible, the township finding that
no change is needed, and a transfer within the county."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio import activity

from activities.case.review import current_eligibility
from activities.case.saving import save_step
from activities.dynamic.context import case_facts, change_plan, tell_provider
from activities.dynamic.removal import remove_records
from infra.db import Sessions
from models.case_tables import Closure, DynamicReview
from models.dynamic.tables import CASE_TRANSFERS, STATUS_EVENTS, StatusEvent
from models.payloads.dynamic import DismissForm, EventRef, TransferForm
from models.payloads.jobs import ReviewDue, ReviewOutcome, StepRecord, StepSaved
from models.tables import CASES, PERSONS
from vocabulary.case import Outcome, Step
from vocabulary.china import china_day
from vocabulary.dynamic import EventSource, StatusChange
from vocabulary.refusal import refuse
from workflows.case_activities import CaseActivities
from workflows.hearing import SYSTEM_USER, system_actor

_e = STATUS_EVENTS.c


class DynamicEventActivities(CaseActivities):
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    @activity.defn
    async def take_status_event(self, record: StepRecord[EventRef]) -> StepSaved:
        t, event = record.transition, record.form

        async def writes(session: AsyncSession) -> None:
            taken = (await session.execute(select(_e.case_seq).where(_e.id == event.event_id))).scalar_one()
            if taken is not None and taken != t.seq:
                raise refuse("already_taken", "该身份变动已由案件办理")
            await session.execute(update(STATUS_EVENTS).where(_e.id == event.event_id).values(
                case_id=t.case_id, case_seq=t.seq))
            if event.change is StatusChange.DEATH:
                await _died(session, record)

        return await save_step(self._sessions, record, writes)

    @activity.defn
    async def monthly_review(self, due: ReviewDue) -> ReviewOutcome:
        """Re-check eligibility; a case no longer eligible gets a status event (once a month), which the case
        takes in as the township's task. Nothing stops by itself: reduce or stop needs a hearing first."""
        now = due.at
        async with self._sessions.begin() as session:
            eligibility, category = await current_eligibility(session, due.case_id, china_day(now))
            await session.execute(
                insert(DynamicReview)
                .values(case_id=due.case_id, period=due.period, still_eligible=eligibility.eligible,
                        category=category, reviewed_at=now)
                .on_conflict_do_nothing(index_elements=["case_id", "period"])
            )
            if eligibility.eligible:
                return ReviewOutcome(still_eligible=True)
            case = (await session.execute(select(CASES.c.person_id, CASES.c.village_code).where(
                CASES.c.id == due.case_id))).one()
            key = f"review:{due.case_id}:{due.period}"
            await session.execute(insert(StatusEvent).values(
                business_key=key, person_id=case.person_id, case_id=due.case_id,
                change=StatusChange.REVIEW_INELIGIBLE.value, source=EventSource.REVIEW.value,
                effective_on=china_day(now), evidence=f"{due.period}月度复核：{eligibility.basis}",
                category=category, village_code=case.village_code, recorded_by=SYSTEM_USER, recorded_at=now,
            ).on_conflict_do_nothing(index_elements=["business_key"]))
            event_id = (await session.execute(select(_e.id).where(_e.business_key == key))).scalar_one()
        event = EventRef(event_id=event_id, change=StatusChange.REVIEW_INELIGIBLE, effective_on=china_day(now),
                         actor=system_actor(case.village_code))
        return ReviewOutcome(still_eligible=False, event=event)

    @activity.defn
    async def dismiss_task(self, record: StepRecord[DismissForm]) -> StepSaved:
        return await save_step(self._sessions, record)

    @activity.defn
    async def transfer(self, record: StepRecord[TransferForm]) -> StepSaved:
        t, form = record.transition, record.form

        async def writes(session: AsyncSession) -> dict[str, Any]:
            known = (await session.execute(text("SELECT 1 FROM divisions WHERE code = :c AND level = 'village'"),
                                           {"c": form.to_village})).first()
            if known is None:
                raise refuse("unknown_village", "迁入的村(社区)代码未登记")
            case = (await session.execute(select(CASES.c.person_id, CASES.c.village_code).where(
                CASES.c.id == t.case_id))).one()
            await session.execute(insert(CASE_TRANSFERS).values(
                case_id=t.case_id, seq=t.seq, from_village=case.village_code, to_village=form.to_village,
                reason=form.reason, transferred_by=t.actor.user_id, transferred_at=t.at))
            await session.execute(update(PERSONS).where(PERSONS.c.id == case.person_id).values(
                village_code=form.to_village, updated_at=t.at))
            return {"village_code": form.to_village, "township_code": form.to_village[:9]}

        return await save_step(self._sessions, record, writes)


async def _died(session: AsyncSession, record: StepRecord[EventRef]) -> None:
    """Services stop after the date of death (that day is still paid); the case closes; the provider is told."""
    t, event = record.transition, record.form
    facts = await case_facts(session, t.case_id)
    stops_on = event.effective_on + timedelta(days=1)
    session.add(Closure(case_id=t.case_id, outcome=Outcome.DECEASED.value,
                        reason=f"服务对象于{event.effective_on:%Y年%m月%d日}死亡", effective_on=stops_on,
                        decided_by=t.actor.user_id, decided_at=t.at))
    await change_plan(session, facts, t.seq, stops_on, [], "服务对象死亡", t.at)
    await remove_records(session, facts.case_id, stops_on, [], "服务对象死亡后的服务记录",
                         f"{facts.case_id}:{t.seq}", t.at)
    await tell_provider(session, facts, t.seq, Step.DYNAMIC_MANAGEMENT.value, event.effective_on,
                        f"【服务终止】{facts.village}的服务对象{facts.person_name}已于"
                        f"{event.effective_on:%Y年%m月%d日}死亡，服务自次日起终止，请停止上门服务。", t.at)
