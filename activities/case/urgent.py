"""先行救助: a case marked urgent before its review (workflows/process.py MARK_URGENT, CONFIRM_URGENT). The township's
mark, or its confirmation of the assistant's request, starts the short-term care on that day for the county's cap
(oversight settings `urgent_care_days`); the case's deadlines are not touched (activities/deadlines/plan.py)."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio import activity

from activities.case.saving import save_step
from activities.oversight.settings import county_settings
from activities.urgent.care import check_provider, list_mode
from infra.db import Sessions
from models.payloads.forms import ItemQuantity
from models.payloads.jobs import StepRecord, StepSaved, Transition
from models.payloads.urgent import ConfirmUrgentForm, UrgentForm
from models.tables import CASES, Provider
from models.urgent.tables import URGENT_CARES, UrgentCare
from policy.urgent import DEFAULT_URGENT_CARE_DAYS, last_day
from vocabulary.case import Role
from vocabulary.china import china_day
from vocabulary.refusal import refuse
from vocabulary.urgent import UrgentState
from workflows.case_activities import CaseActivities

_u = URGENT_CARES.c


async def _start(session: AsyncSession, t: Transition, provider_id: object) -> None:
    """Care starts today, for the county's cap in days."""
    county = (await session.execute(select(CASES.c.county_code).where(CASES.c.id == t.case_id))).scalar_one()
    settings = await county_settings(session, county)
    today = china_day(t.at)
    cap = int(settings.get("urgent_care_days", DEFAULT_URGENT_CARE_DAYS))
    await session.execute(update(URGENT_CARES).where(_u.case_id == t.case_id).values(
        confirmed_by=t.actor.user_id, confirmed_at=t.at, started_on=today, last_day=last_day(today, cap)))
    provider = await session.get(Provider, provider_id)
    assert provider is not None
    await list_mode(session, t.case_id, provider, today)


class UrgentActivities(CaseActivities):
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    @activity.defn
    async def mark_urgent(self, record: StepRecord[UrgentForm]) -> StepSaved:
        t, form = record.transition, record.form
        confirmed = t.actor.role is Role.TOWNSHIP_WORKER

        async def writes(session: AsyncSession) -> dict[str, str]:
            await check_provider(session, t.case_id, form.provider_id, form.items, china_day(t.at))
            county = (await session.execute(select(CASES.c.county_code).where(
                CASES.c.id == t.case_id))).scalar_one()
            session.add(UrgentCare(
                case_id=t.case_id, county_code=county, reason=form.reason.value, details=form.details,
                provider_id=form.provider_id, items=[i.model_dump(mode="json") for i in form.items],
                requested_by=t.actor.user_id, requested_at=t.at))
            await session.flush()
            if confirmed:
                await _start(session, t, form.provider_id)
            return {"urgent": (UrgentState.CONFIRMED if confirmed else UrgentState.REQUESTED).value}

        return await save_step(self._sessions, record, writes)

    @activity.defn
    async def confirm_urgent(self, record: StepRecord[ConfirmUrgentForm]) -> StepSaved:
        t = record.transition

        async def writes(session: AsyncSession) -> dict[str, str]:
            row = (await session.execute(select(_u.provider_id, _u["items"]).where(
                _u.case_id == t.case_id))).one_or_none()
            if row is None:
                raise refuse("no_urgent_request", "没有待确认的先行救助申请")
            # The agreement is checked again: the request may have waited a while.
            items = [ItemQuantity.model_validate(i) for i in row.items]
            await check_provider(session, t.case_id, row.provider_id, items, china_day(t.at))
            await _start(session, t, row.provider_id)
            return {"urgent": UrgentState.CONFIRMED.value}

        return await save_step(self._sessions, record, writes)
