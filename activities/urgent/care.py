"""The urgent care of a case (先行救助): its provider and items checked against the purchase agreements, the mode it
lists on the case, its window (policy/urgent.py), and its end. Called by the marking activities
(activities/case/urgent.py), the review's refusal, and the service-records route."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from activities.modes.register import Serving, end, serve
from models.case_tables import ServicePlan
from models.payloads.forms import ItemQuantity
from models.settlement.tables import AGREEMENT_ITEMS, AGREEMENTS
from models.tables import CASES, Provider, table_of
from models.urgent.tables import URGENT_CARES
from policy.settlement import BILLABLE_AGREEMENT
from policy.urgent import care_end
from vocabulary.modes import PartyKind, ServiceMode
from vocabulary.refusal import refuse
from vocabulary.urgent import URGENT_SUMMARY, UrgentEnd

_u = URGENT_CARES.c
SERVICE_PLANS = table_of(ServicePlan)


async def check_provider(session: AsyncSession, case_id: UUID, provider_id: UUID, items: list[ItemQuantity],
                         today: date) -> Provider:
    """As the referral checks a provider (active, serving the county), and more: short-term care starts before any
    review, so each item must be under a purchase agreement being carried out today that covers the township."""
    case = (await session.execute(select(CASES.c.county_code, CASES.c.township_code).where(
        CASES.c.id == case_id))).one()
    provider = await session.get(Provider, provider_id)
    if provider is None or not provider.active or provider.county_code != case.county_code:
        raise refuse("unknown_provider", "该服务供给主体不存在或不在本县服务")
    a, ai = AGREEMENTS.c, AGREEMENT_ITEMS.c
    covered = set((await session.execute(
        select(ai.item_code).join(AGREEMENTS, a.id == ai.agreement_id).where(
            a.provider_id == provider_id, a.county_code == case.county_code,
            a.status.in_([s.value for s in BILLABLE_AGREEMENT]), a.starts_on <= today, a.ends_on >= today,
            ai.item_code.in_([i.item_code for i in items]),
        ))).scalars())
    missing = [i.item_code for i in items if i.item_code not in covered]
    if not covered or missing:
        what = "、".join(missing) if covered else "所选服务事项"
        raise refuse("no_agreement", f"该服务供给主体没有覆盖{what}的有效政府购买服务协议，不能先行救助")
    township_ok = (await session.execute(select(a.purchaser_code).where(
        a.provider_id == provider_id, a.county_code == case.county_code,
        a.status.in_([s.value for s in BILLABLE_AGREEMENT]), a.starts_on <= today, a.ends_on >= today,
    ))).scalars().all()
    if not any(case.township_code.startswith(code) for code in township_ok):
        raise refuse("no_agreement", "该服务供给主体的政府购买服务协议不覆盖本乡镇(街道)，不能先行救助")
    return provider


async def list_mode(session: AsyncSession, case_id: UUID, provider: Provider, started_on: date) -> None:
    await serve(session, Serving(case_id=case_id, mode=ServiceMode.PURCHASE, source_id=case_id,
                                 party_kind=PartyKind.PROVIDER, party_name=provider.name, summary=URGENT_SUMMARY,
                                 started_on=started_on, party_id=provider.id))


@dataclass(frozen=True)
class Window:
    """The days urgent care may be recorded and paid for, inclusive; None ends: not started yet."""

    provider_id: UUID
    items: dict[str, int]
    started_on: date | None
    ends_on: date | None
    end_reason: UrgentEnd | None


async def window(session: AsyncSession, case_id: UUID) -> Window | None:
    row = (await session.execute(
        select(_u.provider_id, _u["items"], _u.started_on, _u.last_day, _u.ended_on, _u.end_reason,
               SERVICE_PLANS.c.starts_on.label("plan_starts_on"))
        .outerjoin(SERVICE_PLANS, SERVICE_PLANS.c.case_id == _u.case_id).where(_u.case_id == case_id)
    )).one_or_none()
    if row is None:
        return None
    items = {i["item_code"]: i["quantity_per_month"] for i in row.items}
    if row.started_on is None or row.last_day is None:
        return Window(row.provider_id, items, None, None, None)
    ends = care_end(row.last_day, row.ended_on, row.plan_starts_on)
    reason = _reason(row, ends)
    return Window(row.provider_id, items, row.started_on, ends, reason)


def _reason(row: Any, ends: date) -> UrgentEnd:
    if row.ended_on is not None and ends == row.ended_on:
        return UrgentEnd(row.end_reason)
    if row.plan_starts_on is not None and ends < row.last_day:
        return UrgentEnd.PLAN
    return UrgentEnd.CAP


async def end_care(session: AsyncSession, case_id: UUID, on: date, reason: UrgentEnd) -> None:
    """The care ends on `on` (inclusive) if it had not ended earlier; the case's mode list says so. No urgent
    care: nothing happens (every closing path may call this)."""
    row = (await session.execute(select(_u.started_on, _u.last_day, _u.ended_on).where(
        _u.case_id == case_id).with_for_update())).one_or_none()
    if row is None or row.ended_on is not None:
        return
    if row.started_on is None:  # requested, never confirmed: nothing was delivered
        await session.execute(update(URGENT_CARES).where(_u.case_id == case_id).values(
            ended_on=on, end_reason=reason.value))
        return
    on = min(on, row.last_day)
    await session.execute(update(URGENT_CARES).where(_u.case_id == case_id).values(
        ended_on=on, end_reason=reason.value))
    await end(session, ServiceMode.PURCHASE, case_id, on, reason.zh)


async def end_lapsed(session: AsyncSession, case_id: UUID, today: date) -> None:
    """The cap passed: the mode list shows the care ended on its last day (written when first noticed)."""
    found = await window(session, case_id)
    if found is not None and found.ends_on is not None and found.ends_on < today and found.end_reason is UrgentEnd.CAP:
        await end_care(session, case_id, found.ends_on, UrgentEnd.CAP)
