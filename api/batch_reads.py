"""Reading a batch referral: who may see it (the township that sent it, its county, the county's auditors —
read-only over everything in their jurisdiction, DESIGN "Who uses it" — and the provider it went to) and each
case's state — referred or refused with the reason; for a referred case the recipient, the items the review
approved for 政府购买服务 and the provider's answer, read from the case's own referral. The provider sees only the
cases referred to it. A batch outside the asker's reach answers like an absent one (404)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, and_, false, func, select

from api.errors import ApiError
from models.case_tables import REFERRALS, ApprovedItem
from models.modes.batches import (
    REFERRAL_BATCH_CASES,
    REFERRAL_BATCHES,
    BatchCaseOut,
    BatchItem,
    BatchOut,
    BatchSummary,
)
from models.payloads.actor import Actor
from models.tables import CASES, PERSONS, PROVIDERS, SERVICE_ITEMS, table_of
from vocabulary.case import Role
from vocabulary.china import CHINA
from vocabulary.modes import ServiceMode

_b, _bc, _r = REFERRAL_BATCHES.c, REFERRAL_BATCH_CASES.c, REFERRALS.c
_APPROVED = table_of(ApprovedItem)
_ANSWERS = {None: ("pending", "待答复"), True: ("accepted", "已承接"), False: ("declined", "已拒绝")}
NOT_FOUND = ApiError(404, "batch_not_found", "批量转介不存在")


def scope(actor: Actor) -> ColumnElement[bool]:
    if actor.role is Role.PROVIDER:
        return _b.provider_id == actor.provider_id
    # Not a village assistant: the batch is the township's list to a provider, with other villages' recipients;
    # the assistant reads its own cases' referral on the case.
    if actor.role in (Role.TOWNSHIP_WORKER, Role.COUNTY_OFFICER, Role.AUDITOR):
        return _b.township_code.startswith(actor.jurisdiction, autoescape=True)
    return false()


async def batch_row(session: Any, batch_id: UUID) -> Any:
    return (await session.execute(select(REFERRAL_BATCHES).where(_b.id == batch_id))).one()


async def batch_out(session: Any, actor: Actor, batch_id: UUID) -> BatchOut:
    batch = (await session.execute(
        select(REFERRAL_BATCHES, PROVIDERS.c.name.label("provider_name"))
        .join(PROVIDERS, PROVIDERS.c.id == _b.provider_id).where(_b.id == batch_id, scope(actor)))).first()
    if batch is None:
        raise NOT_FOUND
    provider = actor.role is Role.PROVIDER
    rows = (await session.execute(
        select(_bc.case_id, _bc.referred, _bc.refusal_code, _bc.refusal_message, _r.accepted,
               _r.response_reason, _r.responded_at, PERSONS.c.name.label("person_name"), CASES.c.village_code,
               CASES.c.county_code)
        .select_from(REFERRAL_BATCH_CASES)
        .outerjoin(REFERRALS, and_(_r.case_id == _bc.case_id, _r.seq == _bc.referral_seq, _bc.referred.is_(True)))
        .outerjoin(CASES, and_(CASES.c.id == _bc.case_id, _bc.referred.is_(True)))
        .outerjoin(PERSONS, PERSONS.c.id == CASES.c.person_id)
        .where(_bc.batch_id == batch_id, _bc.referred.is_(True) if provider else _bc.referred.is_not(None))
        .order_by(_bc.position))).all()
    items = await _purchase_items(session, batch.county_code, [r.case_id for r in rows if r.referred])
    cases: list[BatchCaseOut] = []
    for r in rows:
        if not r.referred:
            cases.append(BatchCaseOut(case_id=r.case_id, referred=False, refusal_code=r.refusal_code,
                                      refusal_message=r.refusal_message))
            continue
        answer, answer_name = _ANSWERS[r.accepted]
        cases.append(BatchCaseOut(
            case_id=r.case_id, referred=True, person_name=r.person_name, village_code=r.village_code,
            items=items.get(r.case_id, []), answer=answer, answer_name=answer_name, answer_reason=r.response_reason,
            answered_at=r.responded_at))
    referred = [c for c in cases if c.referred]
    return BatchOut(
        id=batch.id, provider_id=batch.provider_id, provider_name=batch.provider_name,
        township_code=batch.township_code, created_at=batch.created_at, referred=len(referred),
        refused=len(cases) - len(referred), accepted=sum(c.answer == "accepted" for c in referred),
        declined=sum(c.answer == "declined" for c in referred), cases=cases)


async def _purchase_items(session: Any, county: str, case_ids: list[UUID]) -> dict[UUID, list[BatchItem]]:
    """The 服务事项清单 the provider receives: what the review approved for 政府购买服务."""
    if not case_ids:
        return {}
    a, i = _APPROVED.c, SERVICE_ITEMS.c
    rows = (await session.execute(
        select(a.case_id, a.item_code, a.quantity_per_month, i.name)
        .outerjoin(SERVICE_ITEMS, and_(i.county_code == county, i.code == a.item_code))
        .where(a.case_id.in_(case_ids), a.mode == ServiceMode.PURCHASE.value).order_by(a.case_id, a.item_code)
    )).all()
    out: dict[UUID, list[BatchItem]] = {}
    for r in rows:
        out.setdefault(r.case_id, []).append(BatchItem(item_code=r.item_code, name=r.name or r.item_code,
                                                       quantity_per_month=r.quantity_per_month))
    return out


async def summaries(session: Any, actor: Actor) -> list[BatchSummary]:
    """The newest batches the asker may see, with their counts (a provider counts only what it was sent)."""
    provider = actor.role is Role.PROVIDER
    counted = _bc.referred.is_(True) if provider else _bc.referred.is_not(None)
    rows = (await session.execute(
        select(_b.id, _b.provider_id, _b.created_at, PROVIDERS.c.name.label("provider_name"),
               func.count(_bc.case_id).filter(counted).label("cases"),
               func.count(_bc.case_id).filter(_bc.referred.is_(True)).label("referred"),
               func.count(_bc.case_id).filter(_bc.referred.is_(True), _r.accepted.is_(None)).label("pending"))
        .join(PROVIDERS, PROVIDERS.c.id == _b.provider_id)
        .outerjoin(REFERRAL_BATCH_CASES, _bc.batch_id == _b.id)
        .outerjoin(REFERRALS, and_(_r.case_id == _bc.case_id, _r.seq == _bc.referral_seq))
        .where(scope(actor)).group_by(_b.id, PROVIDERS.c.name)
        .order_by(_b.created_at.desc()).limit(100))).all()
    return [BatchSummary(id=r.id, provider_id=r.provider_id, provider_name=r.provider_name, created_at=r.created_at,
                         on=r.created_at.astimezone(CHINA).date(), cases=r.cases, referred=r.referred,
                         pending=r.pending) for r in rows]
