"""Step 4, 审核确认: eligibility confirmed or refused in writing; needs graded; service items chosen.

An approval is checked here against what only the database knows: the person's category and conditions
(the eligibility rule), the county's service list, and the benefits recorded at survey (no duplicate
services, 000 二(六)). A failed check refuses the update and writes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio import activity

from activities.case.saving import put, save_step
from activities.documents.store import DocumentStore
from activities.dynamic import documents as docs
from activities.dynamic.context import case_facts, save_letter
from activities.urgent.care import end_care
from infra.db import Sessions
from models.case_tables import SURVEYS, ApprovedItem, Closure, Review
from models.payloads.forms import ItemQuantity, ReviewForm
from models.payloads.jobs import StepRecord, StepSaved, Transition
from models.tables import CASES, PERSONS, SERVICE_ITEMS, ServiceItem
from policy.dynamic import remedies
from policy.eligibility import Eligibility, assess
from vocabulary.case import Benefit, Outcome, ReviewDecision
from vocabulary.china import china_day
from vocabulary.people import Category, Condition
from vocabulary.refusal import refuse
from vocabulary.urgent import UrgentEnd
from workflows.case_activities import CaseActivities


async def current_eligibility(session: AsyncSession, case_id: Any, on: date) -> tuple[Eligibility, str]:
    row = (await session.execute(
        select(PERSONS.c.category, PERSONS.c.conditions, PERSONS.c.birth_date)
        .join(CASES, CASES.c.person_id == PERSONS.c.id)
        .where(CASES.c.id == case_id)
    )).one()
    category = Category(row.category)
    return assess(category, [Condition(c) for c in row.conditions], row.birth_date, on), category.value


class ReviewActivities(CaseActivities):
    def __init__(self, sessions: Sessions, documents: DocumentStore | None = None) -> None:
        self._sessions, self._documents = sessions, documents

    @activity.defn
    async def review(self, record: StepRecord[ReviewForm]) -> StepSaved:
        t, form = record.transition, record.form

        async def writes(session: AsyncSession) -> None:
            eligibility, _ = await current_eligibility(session, t.case_id, china_day(t.at))
            if form.decision is ReviewDecision.APPROVE:
                if not eligibility.eligible:
                    raise refuse("not_eligible", f"不符合服务类社会救助对象条件：{eligibility.basis}")
                await check_items(session, t, form.items)
            await put(session, Review(
                case_id=t.case_id, decision=form.decision.value, reasons=form.reasons,
                eligibility_basis=eligibility.basis, difficulty_type=form.difficulty_type,
                difficulty_degree=form.difficulty_degree, decided_by=t.actor.user_id, decided_at=t.at,
            ), *(ApprovedItem(case_id=t.case_id, item_code=item.item_code, quantity_per_month=item.quantity_per_month,
                              mode=item.mode.value)
                 for item in form.items))
            if form.decision is ReviewDecision.REFUSE:
                await put(session, Closure(case_id=t.case_id, outcome=Outcome.REFUSED.value, reason=form.reasons,
                                           decided_by=t.actor.user_id, decided_at=t.at))
                await _refusal_letter(self._documents, session, t, form.reasons, eligibility.basis)
                # 先行救助 ends on the decision's date: what was delivered until then is paid.
                await end_care(session, t.case_id, china_day(t.at), UrgentEnd.REFUSED)

        return await save_step(self._sessions, record, writes)


async def check_items(session: AsyncSession, t: Transition, items: Sequence[ItemQuantity]) -> None:
    """The items are on the county's service list and meet no need an existing benefit already meets."""
    county = (await session.execute(select(CASES.c.county_code).where(CASES.c.id == t.case_id))).scalar_one()
    codes = [i.item_code for i in items]
    listed = {
        row.code: row for row in (await session.execute(
            select(ServiceItem).where(SERVICE_ITEMS.c.county_code == county, SERVICE_ITEMS.c.code.in_(codes))
        )).scalars()
    }
    for code in codes:
        if code not in listed:
            raise refuse("unknown_item", f"服务事项“{code}”不在本县服务类社会救助清单中")
    benefits = (await session.execute(
        select(SURVEYS.c.existing_benefits).where(SURVEYS.c.case_id == t.case_id)
    )).scalar_one_or_none() or []
    for code in codes:
        for overlap in listed[code].overlaps_benefits:
            if overlap in benefits:
                raise refuse(
                    "duplicate_service",
                    f"服务事项“{listed[code].name}”已通过{Benefit.label(overlap)}保障，不得重复提供",
                )


async def _refusal_letter(documents: DocumentStore | None, session: AsyncSession, t: Transition, reasons: str,
                          basis: str) -> None:
    """不予救助决定书: the refusal in writing, with reasons and the remedies (a PDF listed on the case)."""
    facts = await case_facts(session, t.case_id)
    today = china_day(t.at)
    letter = docs.refusal(number=facts.number(t.seq, today), addressee=facts.person_name, authority=facts.authority,
                          dated=today, applied_on=china_day(facts.opened_at), reasons=reasons, basis=basis,
                          remedies=remedies(today), county_name=facts.county)
    await save_letter(documents, session, t.case_id, letter, t.actor.user_id, f"refusal:{t.case_id}:{t.seq}")
