"""Step 3, 入户调查: the two-person survey record with the seven-dimension needs assessment."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from temporalio import activity

from activities.case.saving import put, save_step
from infra.db import Sessions
from models.case_tables import Survey
from models.payloads.forms import SurveyForm
from models.payloads.jobs import StepRecord, StepSaved
from workflows.case_activities import CaseActivities


class SurveyActivities(CaseActivities):
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    @activity.defn
    async def record_survey(self, record: StepRecord[SurveyForm]) -> StepSaved:
        t, form = record.transition, record.form

        async def writes(session: AsyncSession) -> None:
            await put(session, Survey(
                case_id=t.case_id, visited_on=form.visited_on,
                surveyors=[s.model_dump(mode="json") for s in form.surveyors],
                identity_checked=form.identity_checked, signed_by_both=form.signed_by_both,
                assessments=[a.model_dump(mode="json") for a in form.assessments],
                own_requests=form.own_requests,
                existing_benefits=[b.value for b in form.existing_benefits],
                recorded_by=t.actor.user_id, recorded_at=t.at,
            ))

        return await save_step(self._sessions, record, writes)
