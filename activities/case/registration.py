"""Step 2, 受理登记: classify and register the need, or return an incomplete application."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio import activity

from activities.case.saving import put, save_step
from infra.db import Sessions
from models.case_tables import MATERIALS_REQUESTS, MaterialsRequest, Registration
from models.payloads.forms import RegisterForm, ResubmitForm, ReturnForm
from models.payloads.jobs import StepRecord, StepSaved
from workflows.case_activities import CaseActivities


class RegistrationActivities(CaseActivities):
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    @activity.defn
    async def register(self, record: StepRecord[RegisterForm]) -> StepSaved:
        t, form = record.transition, record.form

        async def writes(session: AsyncSession) -> dict[str, Any]:
            await put(session, Registration(
                case_id=t.case_id, need_category=form.need_category.value, note=form.note,
                registered_by=t.actor.user_id, registered_at=t.at,
            ))
            return {"need_category": form.need_category.value}

        return await save_step(self._sessions, record, writes)

    @activity.defn
    async def return_incomplete(self, record: StepRecord[ReturnForm]) -> StepSaved:
        t, form = record.transition, record.form

        async def writes(session: AsyncSession) -> None:
            await put(session, MaterialsRequest(
                case_id=t.case_id, seq=t.seq, missing=list(form.missing),
                requested_by=t.actor.user_id, requested_at=t.at,
            ))

        return await save_step(self._sessions, record, writes)

    @activity.defn
    async def resubmit(self, record: StepRecord[ResubmitForm]) -> StepSaved:
        t = record.transition
        table = MATERIALS_REQUESTS

        async def writes(session: AsyncSession) -> None:
            await session.execute(
                update(table)
                .where(table.c.case_id == t.case_id, table.c.resubmitted_at.is_(None))
                .values(resubmitted_at=t.at)
            )

        return await save_step(self._sessions, record, writes)
