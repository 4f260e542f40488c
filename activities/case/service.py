"""Step 6, 开展服务: the provider's service plan, which puts the case in service.

Service records themselves are written by the API straight to the database (api/routes/services.py): a
meal delivered every day must not grow the case's workflow history.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from temporalio import activity

from activities.case.common import StepActivities
from models.payloads import Action, PlanForm, Record, StepWritten
from models.tables import ServicePlan


class ServiceActivities(StepActivities):
    @activity.defn(name=Action.FILE_PLAN.value)
    async def file_plan(self, record: Record[PlanForm]) -> StepWritten:
        t, body = record.transition, record.body
        provider_id = t.actor.provider_id
        assert provider_id is not None  # the validator admits only the case's provider

        async def writes(session: AsyncSession) -> None:
            session.add(ServicePlan(
                case_id=t.case_id, provider_id=provider_id, starts_on=body.starts_on,
                summary=body.summary, items=[i.model_dump(mode="json") for i in body.items],
                filed_by=t.actor.user_id, filed_at=t.at,
            ))

        return await self._apply(t, body, writes)
