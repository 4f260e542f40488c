"""Step 4, 审核确认: eligibility confirmed or refused in writing; needs graded; service items chosen.

An approval is checked here against what only the database knows: the person's category and conditions
(the eligibility rule), the county's service list, and the benefits recorded at survey (no duplicate
services, 000 二(六)). A failed check refuses the update and writes nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio import activity

from activities.case.common import StepActivities, refuse
from models.payloads import Action, Record, ReviewDecision, ReviewForm, StepWritten, Transition
from models.tables import CASES, PERSONS, SERVICE_ITEMS, SURVEYS, ApprovedItem, Closure, Review, ServiceItem
from policy.eligibility import Category, Condition, Eligibility, assess
from workflows.timing import CHINA

_BENEFIT_ZH = {
    "material_assistance": "物质救助",
    "long_term_care_insurance": "长期护理保险",
    "disability_care_subsidy": "重度残疾人护理补贴",
}


async def current_eligibility(session: AsyncSession, case_id: Any, on: date) -> tuple[Eligibility, str]:
    row = (await session.execute(
        select(PERSONS.c.category, PERSONS.c.conditions, PERSONS.c.birth_date)
        .join(CASES, CASES.c.person_id == PERSONS.c.id)
        .where(CASES.c.id == case_id)
    )).one()
    category = Category(row.category)
    return assess(category, [Condition(c) for c in row.conditions], row.birth_date, on), category.value


class ReviewActivities(StepActivities):
    @activity.defn(name=Action.REVIEW.value)
    async def review(self, record: Record[ReviewForm]) -> StepWritten:
        t, body = record.transition, record.body

        async def writes(session: AsyncSession) -> None:
            eligibility, _ = await current_eligibility(session, t.case_id, t.at.astimezone(CHINA).date())
            if body.decision is ReviewDecision.APPROVE:
                if not eligibility.eligible:
                    raise refuse("not_eligible", f"不符合服务类社会救助对象条件：{eligibility.basis}")
                await self._check_items(session, t, body)
            session.add(Review(
                case_id=t.case_id, decision=body.decision.value, reasons=body.reasons,
                eligibility_basis=eligibility.basis, difficulty_type=body.difficulty_type,
                difficulty_degree=body.difficulty_degree, decided_by=t.actor.user_id, decided_at=t.at,
            ))
            for item in body.items:
                session.add(ApprovedItem(case_id=t.case_id, item_code=item.item_code,
                                         quantity_per_month=item.quantity_per_month))
            if body.decision is ReviewDecision.REFUSE:
                session.add(Closure(case_id=t.case_id, outcome="refused", reason=body.reasons,
                                    decided_by=t.actor.user_id, decided_at=t.at))

        return await self._apply(t, body, writes)

    async def _check_items(self, session: AsyncSession, t: Transition, body: ReviewForm) -> None:
        county = (await session.execute(select(CASES.c.county_code).where(CASES.c.id == t.case_id))).scalar_one()
        codes = [i.item_code for i in body.items]
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
                        f"服务事项“{listed[code].name}”已通过{_BENEFIT_ZH[overlap]}保障，不得重复提供",
                    )
