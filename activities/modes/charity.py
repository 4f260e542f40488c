"""慈善救济服务 (001 三(六)7): the county refers a list of recipients to a charity organisation, which decides the
content and delivers it; the county records what it reports (no public money, recorded all the same). Writes in
the caller's transaction; each recipient on the list is one `case_modes` row, ended by the organisation's report."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from activities.modes.register import Serving, end, serve
from models.modes.charity import CHARITY_DELIVERIES, CHARITY_LINES, CHARITY_REFERRALS
from vocabulary.china import china_day
from vocabulary.modes import PartyKind, ServiceMode
from vocabulary.modes_linkage import CharityKind, CharityStatus

_r, _l, _d = CHARITY_REFERRALS.c, CHARITY_LINES.c, CHARITY_DELIVERIES.c


async def refer(session: AsyncSession, *, referral_id: UUID, county: str, organisation: Any, cases: list[Any],
                note: str | None, actor_id: UUID, at: datetime) -> None:
    await session.execute(CHARITY_REFERRALS.insert().values(
        id=referral_id, county_code=county, organisation_id=organisation.id, note=note,
        status=CharityStatus.REFERRED.value, referred_by=actor_id, referred_at=at))
    for case in cases:
        line_id = uuid.uuid4()
        await session.execute(CHARITY_LINES.insert().values(
            id=line_id, referral_id=referral_id, case_id=case.id, township_code=case.township_code))
        await serve(session, Serving(case_id=case.id, mode=ServiceMode.CHARITY, source_id=line_id,
                                     party_kind=PartyKind.CHARITY, party_name=organisation.name,
                                     summary="县级转介慈善组织：走访慰问、捐赠衣物物资、义工服务，由慈善组织确定",
                                     started_on=china_day(at)))


async def deliver(session: AsyncSession, *, delivery_id: UUID, referral_id: UUID, line_id: UUID, delivered_on: date,
                  kind: CharityKind, content: str, goods_value: Decimal | None, volunteer_hours: Decimal | None,
                  actor_id: UUID, at: datetime) -> None:
    await session.execute(CHARITY_DELIVERIES.insert().values(
        id=delivery_id, referral_id=referral_id, line_id=line_id, delivered_on=delivered_on, kind=kind.value,
        content=content, goods_value=goods_value, volunteer_hours=volunteer_hours, recorded_by=actor_id,
        recorded_at=at))


async def report(session: AsyncSession, referral_id: UUID, service_plan: str, summary: str, actor_id: UUID,
                 at: datetime) -> None:
    """The organisation's report closes the referral: each recipient's line ends on its last delivery (or the
    report's day when nothing reached them)."""
    await session.execute(update(CHARITY_REFERRALS).where(_r.id == referral_id).values(
        status=CharityStatus.REPORTED.value, service_plan=service_plan, summary=summary, reported_at=at,
        reported_by=actor_id))
    lines = (await session.execute(select(_l.id, func.max(_d.delivered_on).label("last")).outerjoin(
        CHARITY_DELIVERIES, _d.line_id == _l.id).where(_l.referral_id == referral_id).group_by(_l.id))).all()
    for line in lines:
        reason = "慈善组织已反馈服务情况" if line.last else "慈善组织反馈：未提供服务"
        await end(session, ServiceMode.CHARITY, line.id, line.last or china_day(at), reason)
