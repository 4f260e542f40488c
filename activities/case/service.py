"""Step 6, 开展服务: the provider's service plan, which puts the case in service.

Service records themselves are written by the API straight to the database (api/routes/services.py): a
meal delivered every day must not grow the case's workflow history.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from temporalio import activity

from activities.case.saving import put, save_step
from activities.urgent.care import end_care
from infra.db import Sessions
from models.case_tables import ServicePlan
from models.payloads.forms import PlanForm
from models.payloads.jobs import StepRecord, StepSaved
from vocabulary.urgent import UrgentEnd
from workflows.case_activities import CaseActivities


class ServiceActivities(CaseActivities):
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    @activity.defn
    async def file_plan(self, record: StepRecord[PlanForm]) -> StepSaved:
        t, form = record.transition, record.form
        provider_id = t.actor.provider_id
        assert provider_id is not None  # the validator admits only the case's provider

        async def writes(session: AsyncSession) -> None:
            await put(session, ServicePlan(
                case_id=t.case_id, provider_id=provider_id, starts_on=form.starts_on,
                summary=form.summary, items=[i.model_dump(mode="json") for i in form.items],
                filed_by=t.actor.user_id, filed_at=t.at,
            ))
            # 先行救助, if any, hands over to the plan: its care ends the day before the plan starts.
            await end_care(session, t.case_id, form.starts_on - timedelta(days=1), UrgentEnd.PLAN)

        return await save_step(self._sessions, record, writes)
