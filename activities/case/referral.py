"""Step 5, 转介服务: the township refers the recipient and items to a provider, who accepts or declines."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio import activity

from activities.case.common import StepActivities, refuse
from models.payloads import Action, Record, ReferForm, RespondForm, StepWritten
from models.tables import CASES, REFERRALS, Provider, Referral


class ReferralActivities(StepActivities):
    @activity.defn(name=Action.REFER.value)
    async def refer(self, record: Record[ReferForm]) -> StepWritten:
        t, body = record.transition, record.body

        async def writes(session: AsyncSession) -> None:
            county = (await session.execute(
                select(CASES.c.county_code).where(CASES.c.id == t.case_id)
            )).scalar_one()
            provider = await session.get(Provider, body.provider_id)
            if provider is None or not provider.active or provider.county_code != county:
                raise refuse("unknown_provider", "该服务供给主体不存在或不在本县服务")
            session.add(Referral(case_id=t.case_id, seq=t.seq, provider_id=body.provider_id,
                                 referred_by=t.actor.user_id, referred_at=t.at))

        return await self._apply(t, body, writes)

    @activity.defn(name=Action.RESPOND.value)
    async def respond(self, record: Record[RespondForm]) -> StepWritten:
        t, body = record.transition, record.body
        table = REFERRALS

        async def writes(session: AsyncSession) -> None:
            await session.execute(
                update(table)
                .where(table.c.case_id == t.case_id, table.c.provider_id == t.actor.provider_id,
                       table.c.accepted.is_(None))
                .values(accepted=body.accept, response_reason=body.reason, responded_at=t.at)
            )

        return await self._apply(t, body, writes)
