"""The urgent care's provider (先行救助) reaches the case before any referral: it records and confirms the short-term
care's services. Which records are urgent care, and which days they may be of (activities/urgent/care.py)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from activities.urgent.care import end_lapsed, window
from api.access import load_case
from api.errors import ApiError
from models.case_tables import ServicePlan
from models.payloads.actor import Actor
from models.schemas import ServiceRecordIn
from models.tables import Case
from models.urgent.tables import URGENT_CARES
from vocabulary.case import Role

_u = URGENT_CARES.c


async def load_service_case(session: AsyncSession, actor: Actor, case_id: UUID) -> Case:
    """`load_case`, and for a provider also a case whose urgent care it was given (confirmed); else 404."""
    try:
        return await load_case(session, actor, case_id)
    except ApiError as err:
        if err.status != 404 or actor.role is not Role.PROVIDER:
            raise
        mine = (await session.execute(select(_u.case_id).where(
            _u.case_id == case_id, _u.provider_id == actor.provider_id, _u.started_on.is_not(None)))).first()
        if mine is None:
            raise
        case = await session.get(Case, case_id)
        assert case is not None
        return case


async def urgent_record(session: AsyncSession, actor: Actor, case: Any, body: ServiceRecordIn,
                        day: date) -> bool:
    """True when the record is of the case's urgent care (checked here); False when the ordinary rules apply (the
    case's service plan). A day after the care ended is refused, in Chinese, with the day and why."""
    w = await window(session, case.id)
    if w is None or w.provider_id != actor.provider_id or w.started_on is None or w.ends_on is None:
        return False
    plan = await session.get(ServicePlan, case.id)
    if day < w.started_on:
        return False
    if plan is not None and day >= plan.starts_on and plan.provider_id == actor.provider_id:
        return False  # the plan's own days: its provider records under it
    if day > w.ends_on:
        await end_lapsed(session, case.id, day)
        await session.commit()
        assert w.end_reason is not None
        raise ApiError(409, "urgent_care_ended",
                       f"先行救助短期照料已于{w.ends_on:%Y年%m月%d日}结束（{w.end_reason.zh}），此后的服务不能录入")
    if body.item_code not in w.items:
        raise ApiError(422, "item_not_in_urgent_care", "该服务事项不在先行救助的短期照料事项中")
    return True
