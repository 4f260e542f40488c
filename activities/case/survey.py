"""Step 3, 入户调查: the two-person survey record with the seven-dimension needs assessment."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from temporalio import activity

from activities.case.common import StepActivities
from models.payloads import Action, Record, StepWritten, SurveyForm
from models.tables import Survey


class SurveyActivities(StepActivities):
    @activity.defn(name=Action.SURVEY.value)
    async def record_survey(self, record: Record[SurveyForm]) -> StepWritten:
        t, body = record.transition, record.body

        async def writes(session: AsyncSession) -> None:
            session.add(Survey(
                case_id=t.case_id, visited_on=body.visited_on,
                surveyors=[s.model_dump(mode="json") for s in body.surveyors],
                identity_checked=body.identity_checked, signed_by_both=body.signed_by_both,
                assessments=[a.model_dump(mode="json") for a in body.assessments],
                own_requests=body.own_requests,
                existing_benefits=[b.value for b in body.existing_benefits],
                recorded_by=t.actor.user_id, recorded_at=t.at,
            ))

        return await self._apply(t, body, writes)
