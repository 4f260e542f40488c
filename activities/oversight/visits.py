"""Satisfaction return visits (满意度回访): each month a reproducible sample of every provider's in-service cases
(the county's share, at least one case each), for the village assistants or township workers to call.
满意 / 基本满意 / 不满意 with comments, or not reached (counted, and the visit stays open to try again);
不满意 opens a rectification for the provider or a complaint for the township."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from activities.oversight import complaints
from activities.oversight.notices import IN_SERVICE
from activities.oversight.rectifications import open_rectification
from models.oversight.complaint_tables import VISIT_DRAWS, VISITS
from policy.oversight import at_least_one, sample_key
from vocabulary.oversight import (
    ComplaintCategory,
    ComplaintChannel,
    FollowUp,
    Handler,
    RectificationSource,
    Satisfaction,
    VisitStatus,
)

_v = VISITS.c


async def draw_month(session: AsyncSession, county: str, period: str, percent: int, seed: str | None,
                     actor_id: UUID, at: datetime) -> UUID:
    """The month's visits of a county, once (a second request finds the first draw)."""
    existing = (await session.execute(select(VISIT_DRAWS.c.id).where(
        VISIT_DRAWS.c.county_code == county, VISIT_DRAWS.c.period == period).with_for_update())).scalar_one_or_none()
    if existing is not None:
        return UUID(str(existing))
    seed = seed or secrets.token_hex(8)
    cases = (await session.execute(text("""
        SELECT id, provider_id, township_code, village_code FROM cases
        WHERE county_code = :county AND status = 'open' AND step = ANY(:steps) AND provider_id IS NOT NULL
    """), {"county": county, "steps": list(IN_SERVICE)})).all()
    by_provider: dict[Any, list[Any]] = {}
    for case in cases:
        by_provider.setdefault(case.provider_id, []).append(case)
    quota = at_least_one({p: len(cs) for p, cs in by_provider.items()}, percent)
    draw_id = uuid.uuid4()
    chosen = [c for p, cs in sorted(by_provider.items(), key=lambda kv: str(kv[0]))
              for c in sorted(cs, key=lambda c: sample_key(seed, c.id))[:quota[p]]]
    await session.execute(VISIT_DRAWS.insert().values(
        county_code=county, period=period, id=draw_id, seed=seed, percent=percent, population=len(cases),
        sampled=len(chosen), drawn_by=actor_id, drawn_at=at))
    if chosen:
        await session.execute(VISITS.insert(), [dict(
            id=uuid.uuid4(), draw_id=draw_id, period=period, case_id=c.id, provider_id=c.provider_id,
            county_code=county, township_code=c.township_code, village_code=c.village_code,
            status=VisitStatus.PENDING.value, attempts=0) for c in chosen])
    return draw_id


async def record_visit(session: AsyncSession, visit: Any, actor_id: UUID, reached: bool, result: Satisfaction | None,
                       comments: str | None, follow_up: FollowUp | None, at: datetime) -> list[UUID]:
    """One call: not reached (tried again later), or the recipient's answer. Returns tasks opened."""
    if not reached:
        await session.execute(update(VISITS).where(_v.id == visit.id).values(
            status=VisitStatus.NOT_REACHED.value, attempts=visit.attempts + 1, visited_by=actor_id, visited_at=at))
        return []
    assert result is not None
    opened: list[UUID] = []
    follow_id = None
    if result is Satisfaction.DISSATISFIED:
        follow_up = follow_up or FollowUp.RECTIFICATION
        if follow_up is FollowUp.RECTIFICATION:
            follow_id, task = await open_rectification(
                session, source=RectificationSource.SATISFACTION_VISIT, source_id=visit.id,
                provider_id=visit.provider_id, county=visit.county_code, township=visit.township_code,
                case_id=visit.case_id,
                requirement=f"{visit.period}满意度回访中服务对象表示不满意：{comments or '未说明'}",
                actor_id=actor_id, at=at)
            opened += [task] if task else []
        else:
            follow_id, task_id = await complaints.receive(session, {
                "channel": ComplaintChannel.RETURN_VISIT.value, "work_order_no": None,
                "category": ComplaintCategory.SERVICE_QUALITY.value, "content": comments or "满意度回访中表示不满意",
                "anonymous": False, "confidential": True, "complainant_name": None, "complainant_contact": None,
                "case_id": visit.case_id, "provider_id": visit.provider_id, "handler": Handler.TOWNSHIP.value,
                "handler_code": visit.township_code, "county_code": visit.county_code,
                "township_code": visit.township_code}, actor_id, at)
            opened.append(task_id)
    await session.execute(update(VISITS).where(_v.id == visit.id).values(
        status=VisitStatus.DONE.value, attempts=visit.attempts + 1, result=result.value, comments=comments,
        follow_up=follow_up.value if follow_up else None, follow_up_id=follow_id, visited_by=actor_id,
        visited_at=at))
    return opened
