"""Step 2, 受理登记: classify and register the need, or return an incomplete application."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio import activity

from activities.case.common import StepActivities
from models.payloads import (
    Action,
    Record,
    RegisterForm,
    ResubmitForm,
    ReturnForm,
    StepWritten,
)
from models.tables import MATERIALS_REQUESTS, MaterialsRequest, Registration


class RegistrationActivities(StepActivities):
    @activity.defn(name=Action.REGISTER.value)
    async def register(self, record: Record[RegisterForm]) -> StepWritten:
        t, body = record.transition, record.body

        async def writes(session: AsyncSession) -> dict[str, Any]:
            session.add(Registration(
                case_id=t.case_id, need_category=body.need_category.value, note=body.note,
                registered_by=t.actor.user_id, registered_at=t.at,
            ))
            return {"need_category": body.need_category.value}

        return await self._apply(t, body, writes)

    @activity.defn(name=Action.RETURN_INCOMPLETE.value)
    async def return_incomplete(self, record: Record[ReturnForm]) -> StepWritten:
        t, body = record.transition, record.body

        async def writes(session: AsyncSession) -> None:
            session.add(MaterialsRequest(
                case_id=t.case_id, seq=t.seq, missing=list(body.missing),
                requested_by=t.actor.user_id, requested_at=t.at,
            ))

        return await self._apply(t, body, writes)

    @activity.defn(name=Action.RESUBMIT.value)
    async def resubmit(self, record: Record[ResubmitForm]) -> StepWritten:
        t, body = record.transition, record.body
        table = MATERIALS_REQUESTS

        async def writes(session: AsyncSession) -> None:
            await session.execute(
                update(table)
                .where(table.c.case_id == t.case_id, table.c.resubmitted_at.is_(None))
                .values(resubmitted_at=t.at)
            )

        return await self._apply(t, body, writes)
