"""Ending a case before service: withdrawal (before the review decision) or no provider to take it."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from temporalio import activity

from activities.case.saving import Writes, save_step
from activities.urgent.care import end_care
from infra.db import Sessions
from models.case_tables import Closure
from models.payloads.forms import CloseForm, WithdrawForm
from models.payloads.jobs import StepRecord, StepSaved
from vocabulary.case import Outcome
from vocabulary.china import china_day
from vocabulary.urgent import UrgentEnd
from workflows.case_activities import CaseActivities


def written_closure(record: StepRecord[Any], outcome: Outcome, **extra: Any) -> Writes:
    """The case's end in writing: the outcome, the reason and who decided."""
    t = record.transition

    async def writes(session: AsyncSession) -> None:
        session.add(Closure(case_id=t.case_id, outcome=outcome.value, reason=record.form.reason,
                            decided_by=t.actor.user_id, decided_at=t.at, **extra))
        await end_care(session, t.case_id, china_day(t.at), UrgentEnd.CLOSED)  # 先行救助, if any, ends too

    return writes


class ClosingActivities(CaseActivities):
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    @activity.defn
    async def withdraw(self, record: StepRecord[WithdrawForm]) -> StepSaved:
        return await save_step(self._sessions, record, written_closure(record, Outcome.WITHDRAWN))

    @activity.defn
    async def close_case(self, record: StepRecord[CloseForm]) -> StepSaved:
        return await save_step(self._sessions, record, written_closure(record, Outcome.NO_PROVIDER))
