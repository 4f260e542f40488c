"""A case's step records as the case page shows them: the application, registration, survey, review decision
with its approved items, referrals and answers, and the service plan (the files are `GET /cases/{id}/documents`).
Read through the case, so whoever may see the case (and only they) sees its records."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from fastapi import APIRouter
from sqlalchemy import select

from api.access import load_case
from api.deps import ActorDep, SessionDep
from models.case_tables import (
    REFERRALS,
    Application,
    ApprovedItem,
    Registration,
    Review,
    ServicePlan,
    Survey,
)
from models.schemas import Out
from models.tables import PROVIDERS, SERVICE_ITEMS, table_of
from vocabulary.modes import ServiceMode

router = APIRouter(prefix="/cases/{case_id}/records", tags=["案件"])
_APPROVED = table_of(ApprovedItem)


class ApplicationRecord(Out):
    channel: str
    need_description: str
    submitted_at: datetime


class RegistrationRecord(Out):
    need_category: str
    note: str | None
    registered_at: datetime


class SurveyRecord(Out):
    visited_on: date
    surveyors: list[dict[str, Any]]
    assessments: list[dict[str, Any]]
    own_requests: str
    existing_benefits: list[str]
    recorded_at: datetime


class ItemRecord(Out):
    item_code: str
    name: str
    unit: str | None
    quantity_per_month: int
    mode: ServiceMode | None = None  # approved items: the mode that delivers it (None on a plan's items)
    mode_name: str | None = None


class ReviewRecord(Out):
    decision: str
    reasons: str
    eligibility_basis: str
    difficulty_type: str | None
    difficulty_degree: str | None
    decided_at: datetime
    items: list[ItemRecord]


class ReferralRecord(Out):
    seq: int
    provider_id: UUID
    provider_name: str
    referred_at: datetime
    accepted: bool | None
    response_reason: str | None
    responded_at: datetime | None


class PlanRecord(Out):
    starts_on: date
    summary: str
    items: list[ItemRecord]
    filed_at: datetime


class CaseRecords(Out):
    application: ApplicationRecord | None
    registration: RegistrationRecord | None
    survey: SurveyRecord | None
    review: ReviewRecord | None
    referrals: list[ReferralRecord]
    plan: PlanRecord | None


def _items(raw: list[dict[str, Any]], names: dict[str, tuple[str, str]]) -> list[ItemRecord]:
    return [ItemRecord(item_code=i["item_code"], name=names.get(i["item_code"], (i["item_code"], ""))[0],
                       unit=names.get(i["item_code"], ("", None))[1], quantity_per_month=i["quantity_per_month"],
                       mode=ServiceMode(i["mode"]) if "mode" in i else None,
                       mode_name=ServiceMode(i["mode"]).zh if "mode" in i else None)
            for i in raw]


@router.get("", summary="案件各环节的办理记录：申请、登记、入户调查、审核决定、转介、服务方案")
async def case_records(case_id: UUID, actor: ActorDep, session: SessionDep) -> CaseRecords:
    case = await load_case(session, actor, case_id)
    i = SERVICE_ITEMS.c
    names = {r.code: (r.name, r.unit) for r in (await session.execute(
        select(i.code, i.name, i.unit).where(i.county_code == case.county_code))).all()}
    application = await session.get(Application, case_id)
    registration = await session.get(Registration, case_id)
    survey = await session.get(Survey, case_id)
    review = await session.get(Review, case_id)
    plan = await session.get(ServicePlan, case_id)
    approved = (await session.execute(
        select(ApprovedItem).where(_APPROVED.c.case_id == case_id))).scalars().all()
    r, p = REFERRALS.c, PROVIDERS.c
    referrals = (await session.execute(
        select(r.seq, r.provider_id, p.name.label("provider_name"), r.referred_at, r.accepted, r.response_reason,
               r.responded_at).join(PROVIDERS, p.id == r.provider_id).where(r.case_id == case_id).order_by(r.seq)
    )).all()
    return CaseRecords(
        application=ApplicationRecord.model_validate(application) if application else None,
        registration=RegistrationRecord.model_validate(registration) if registration else None,
        survey=SurveyRecord.model_validate(survey) if survey else None,
        review=ReviewRecord(
            decision=review.decision, reasons=review.reasons, eligibility_basis=review.eligibility_basis,
            difficulty_type=review.difficulty_type, difficulty_degree=review.difficulty_degree,
            decided_at=review.decided_at,
            items=_items([{"item_code": a.item_code, "quantity_per_month": a.quantity_per_month, "mode": a.mode}
                          for a in sorted(approved, key=lambda a: a.item_code)], names),
        ) if review else None,
        referrals=[ReferralRecord.model_validate(dict(x._mapping)) for x in referrals],
        plan=PlanRecord(starts_on=plan.starts_on, summary=plan.summary, items=_items(plan.items, names),
                        filed_at=plan.filed_at) if plan else None,
    )
