"""Step 5, 转介服务: the township refers the recipient and items to a provider, who accepts or declines."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio import activity

from activities.case.saving import put, save_step
from infra.db import Sessions
from models.case_tables import REFERRALS, Referral
from models.payloads.forms import ReferForm, RespondForm
from models.payloads.jobs import StepRecord, StepSaved
from models.tables import CASES, Provider
from vocabulary.refusal import refuse
from workflows.case_activities import CaseActivities


class ReferralActivities(CaseActivities):
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    @activity.defn
    async def refer(self, record: StepRecord[ReferForm]) -> StepSaved:
        t, form = record.transition, record.form

        async def writes(session: AsyncSession) -> None:
            county = (await session.execute(
                select(CASES.c.county_code).where(CASES.c.id == t.case_id)
            )).scalar_one()
            provider = await session.get(Provider, form.provider_id)
            if provider is None or not provider.active or provider.county_code != county:
                raise refuse("unknown_provider", "该服务供给主体不存在或不在本县服务")
            await put(session, Referral(case_id=t.case_id, seq=t.seq, provider_id=form.provider_id,
                                        referred_by=t.actor.user_id, referred_at=t.at))

        return await save_step(self._sessions, record, writes)

    @activity.defn
    async def respond_referral(self, record: StepRecord[RespondForm]) -> StepSaved:
        t, form = record.transition, record.form
        table = REFERRALS

        async def writes(session: AsyncSession) -> None:
            await session.execute(
                update(table)
                .where(table.c.case_id == t.case_id, table.c.provider_id == t.actor.provider_id,
                       table.c.accepted.is_(None))
                .values(accepted=form.accept, response_reason=form.reason, responded_at=t.at)
            )

        return await save_step(self._sessions, record, writes)
