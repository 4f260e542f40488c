"""Changing or stopping services (动态管理): the notice of an intended change or stop with its hearing period on
the working-day calendar, the recipient's statement (or the period lapsing), the written decision, the
provider's acknowledgement, and a stop at the recipient's own signed request. Each is one transaction with the
step's audit row and projection, idempotent on (case, seq); each document is stored once per step."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio import activity

from activities.case.review import check_items
from activities.case.saving import save_step
from activities.deadlines.plan import county_rules, work_calendar
from activities.documents.store import DocumentStore
from activities.dynamic import documents as docs
from activities.dynamic.context import CaseFacts, case_facts, change_plan, save_letter, tell_provider
from activities.dynamic.removal import remove_records
from infra.db import Sessions
from models.case_tables import Closure
from models.dynamic.tables import HEARINGS, PLAN_CHANGES, Hearing, ServiceDecision
from models.payloads.dynamic import AcknowledgeForm, DecideForm, Proposal, ProposeForm, StatementForm, StopForm
from models.payloads.jobs import StepRecord, StepSaved, Transition
from policy.dynamic import remedies
from vocabulary.case import Outcome, Step
from vocabulary.china import CHINA, china_day
from vocabulary.deadlines import DeadlineRule
from vocabulary.dynamic import ChangeKind, DecisionResult
from workflows.case_activities import CaseActivities

_h = HEARINGS.c
_DM = Step.DYNAMIC_MANAGEMENT.value


def _items(form_items: list[Any]) -> list[dict[str, Any]]:
    return [i.model_dump(mode="json") for i in form_items]


class HearingActivities(CaseActivities):
    def __init__(self, sessions: Sessions, documents: DocumentStore | None = None) -> None:
        self._sessions, self._documents = sessions, documents

    @activity.defn
    async def propose_change(self, record: StepRecord[ProposeForm]) -> StepSaved:
        t, form = record.transition, record.form

        async def writes(session: AsyncSession) -> None:
            facts = await case_facts(session, t.case_id)
            today = china_day(t.at)
            days = ends_on = None
            if form.kind is ChangeKind.ADD_ITEMS:
                await check_items(session, t, form.items)
            else:
                days = (await county_rules(session, facts.village_code[:6]))[DeadlineRule.HEARING_PERIOD]
                ends_on = (await work_calendar(session)).add(today, days).on
            # The status events this proposal answers: those taken in since the last decision.
            events = (await session.execute(text("""
                SELECT id::text FROM status_events WHERE case_id = :c AND case_seq > COALESCE(
                    (SELECT max(seq) FROM service_decisions WHERE case_id = :c), 0) ORDER BY case_seq"""),
                {"c": t.case_id})).scalars().all()
            session.add(Hearing(case_id=t.case_id, seq=t.seq, kind=form.kind.value, reasons=form.reasons,
                                facts=form.facts, items=_items(form.items), effective_on=form.effective_on,
                                hearing_days=days, hearing_ends_on=ends_on, events=list(events),
                                proposed_by=t.actor.user_id, proposed_at=t.at))
            if days is not None and ends_on is not None:
                letter = docs.notice(
                    stop=form.kind is ChangeKind.STOP, number=facts.number(t.seq, today), addressee=facts.person_name,
                    authority=facts.authority, dated=today, facts=form.facts, reasons=form.reasons,
                    plan_now=facts.plan_text(facts.items), plan_after=facts.plan_text(form.items),
                    effective_on=form.effective_on, hearing_days=days, hearing_ends_on=ends_on,
                    address=f"{facts.township}社会救助窗口")
                await save_letter(self._documents, session, t.case_id, letter, t.actor.user_id,
                                  f"notice:{t.case_id}:{t.seq}")

        saved = await save_step(self._sessions, record, writes)
        async with self._sessions() as session:
            ends = (await session.execute(select(_h.hearing_ends_on).where(
                _h.case_id == t.case_id, _h.seq == t.seq))).scalar_one_or_none()
        # The period ends when the last day to state and defend is over (China time).
        until = None if ends is None else datetime.combine(ends + timedelta(days=1), time(0), tzinfo=CHINA)
        return saved.model_copy(update={"hearing_until": until})

    @activity.defn
    async def record_statement(self, record: StepRecord[StatementForm]) -> StepSaved:
        t, form = record.transition, record.form

        async def writes(session: AsyncSession) -> None:
            await session.execute(update(HEARINGS).where(_h.case_id == t.case_id, _h.decision_seq.is_(None),
                                                         _h.stated_at.is_(None)).values(
                statement=form.statement, statement_by=form.by.value, statement_waived=form.waived,
                stated_by=t.actor.user_id, stated_at=t.at))

        return await save_step(self._sessions, record, writes)

    @activity.defn
    async def hearing_lapsed(self, record: StepRecord[Proposal]) -> StepSaved:
        t = record.transition

        async def writes(session: AsyncSession) -> None:
            await session.execute(update(HEARINGS).where(_h.case_id == t.case_id, _h.seq == record.form.seq)
                                  .values(lapsed_at=t.at))

        return await save_step(self._sessions, record, writes)

    @activity.defn
    async def decide_change(self, record: StepRecord[DecideForm]) -> StepSaved:
        t, form = record.transition, record.form

        async def writes(session: AsyncSession) -> None:
            hearing = (await session.execute(select(HEARINGS).where(_h.case_id == t.case_id, _h.decision_seq.is_(None))
                                             .order_by(_h.seq.desc()).limit(1))).one()
            await session.execute(update(HEARINGS).where(_h.case_id == t.case_id, _h.seq == hearing.seq)
                                  .values(decision_seq=t.seq))
            if hearing.statement is None:
                statement = ("在陈述申辩期限内未提出陈述、申辩意见。" if hearing.hearing_ends_on
                             else "无(增加服务事项，无需听取陈述申辩)。")
            else:
                statement = "本人明确放弃陈述、申辩。" if hearing.statement_waived else hearing.statement
            basis = (f"本机关于{docs.day_zh(china_day(hearing.proposed_at))}告知您拟{ChangeKind(hearing.kind).zh}"
                     f"（事实：{hearing.facts}），并告知您依法享有陈述、申辩的权利。")
            items = [] if form.result is DecisionResult.STOP else hearing.items
            await _decide(self._documents, session, t, form.result, "hearing", form.reasons, statement,
                          form.statement_considered, basis, form.effective_on, items, hearing.seq)

        return await save_step(self._sessions, record, writes)

    @activity.defn
    async def stop_services(self, record: StepRecord[StopForm]) -> StepSaved:
        t, form = record.transition, record.form

        async def writes(session: AsyncSession) -> None:
            basis = f"您于{docs.day_zh(form.requested_on)}书面申请停止服务类社会救助服务，并已签字确认。"
            await _decide(self._documents, session, t, DecisionResult.STOP, "own_request", form.reason,
                          "本人书面申请停止服务。", "依本人申请作出，无需另行听取陈述、申辩。", basis,
                          form.effective_on, [], None)

        return await save_step(self._sessions, record, writes)

    @activity.defn
    async def acknowledge_change(self, record: StepRecord[AcknowledgeForm]) -> StepSaved:
        t = record.transition

        async def writes(session: AsyncSession) -> None:
            await session.execute(update(PLAN_CHANGES).where(
                PLAN_CHANGES.c.case_id == t.case_id, PLAN_CHANGES.c.acknowledged_at.is_(None)).values(
                acknowledged_by=t.actor.user_id, acknowledged_at=t.at))

        return await save_step(self._sessions, record, writes)


async def _decide(documents: DocumentStore | None, session: AsyncSession, t: Transition, result: DecisionResult,
                  basis_kind: str, reasons: str,
                  statement: str, considered: str, basis: str, effective_on: date, items: list[dict[str, Any]],
                  hearing_seq: int | None) -> None:
    """The decision's record; for a change or stop also its document, the plan from the effective date, the
    records it removes (disallowed for settlement) and the provider's notice; a stop closes the case."""
    facts = await case_facts(session, t.case_id)
    today = china_day(t.at)
    rights = remedies(today)
    session.add(ServiceDecision(case_id=t.case_id, seq=t.seq, hearing_seq=hearing_seq, result=result.value,
                                basis=basis_kind, reasons=reasons, statement_considered=considered,
                                effective_on=effective_on, review_by=rights.review_by,
                                litigation_by=rights.litigation_by, decided_by=t.actor.user_id, decided_at=t.at))
    if result is DecisionResult.KEEP:
        return
    stop = result is DecisionResult.STOP
    letter = docs.decision(stop=stop, number=facts.number(t.seq, today), addressee=facts.person_name,
                           authority=facts.authority, dated=today, basis=basis, reasons=reasons, statement=statement,
                           considered=considered, plan_after=facts.plan_text(items), effective_on=effective_on,
                           remedies=rights, county_name=facts.county)
    await save_letter(documents, session, t.case_id, letter, t.actor.user_id, f"decision:{t.case_id}:{t.seq}")
    await change_plan(session, facts, t.seq, effective_on, items, result.zh, t.at)
    await remove_records(session, t.case_id, effective_on, items, f"{result.zh}决定生效后的服务",
                         f"{t.case_id}:{t.seq}", t.at)
    if stop:
        session.add(Closure(case_id=t.case_id, outcome=Outcome.STOPPED.value, reason=reasons,
                            hearing_record=statement, effective_on=effective_on, decided_by=t.actor.user_id,
                            decided_at=t.at))
    await tell_provider(session, facts, t.seq, _DM, effective_on, _provider_message(facts, stop, items, effective_on),
                        t.at)


def _provider_message(facts: CaseFacts, stop: bool, items: list[dict[str, Any]], effective_on: date) -> str:
    what = "终止服务" if stop else f"服务变更为：{facts.plan_text(items)}，请登录确认"
    return f"【服务变更】{facts.village}的服务对象{facts.person_name}自{docs.day_zh(effective_on)}起{what}。"

