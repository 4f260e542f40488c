"""Ending a case before service: withdrawal (before the review decision) or no provider to take it."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from temporalio import activity

from activities.case.common import StepActivities
from models.payloads import Action, CloseForm, Outcome, Record, StepWritten, WithdrawForm
from models.tables import Closure


class ClosingActivities(StepActivities):
    @activity.defn(name=Action.WITHDRAW.value)
    async def withdraw(self, record: Record[WithdrawForm]) -> StepWritten:
        t, body = record.transition, record.body

        async def writes(session: AsyncSession) -> None:
            session.add(Closure(case_id=t.case_id, outcome=Outcome.WITHDRAWN.value, reason=body.reason,
                                decided_by=t.actor.user_id, decided_at=t.at))

        return await self._apply(t, body, writes)

    @activity.defn(name=Action.CLOSE.value)
    async def close(self, record: Record[CloseForm]) -> StepWritten:
        t, body = record.transition, record.body

        async def writes(session: AsyncSession) -> None:
            session.add(Closure(case_id=t.case_id, outcome=Outcome.NO_PROVIDER.value, reason=body.reason,
                                decided_by=t.actor.user_id, decided_at=t.at))

        return await self._apply(t, body, writes)
