"""Step 1, 个人申请或主动发现: the case row, the application record and the first audit row."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from temporalio import activity

from activities.case.saving import claim_step, keep_answer, project, put, written_at
from activities.deadlines.plan import current_plan
from infra.db import Sessions
from models.case_tables import Application
from models.payloads.forms import OpenForm
from models.payloads.jobs import StepRecord, StepSaved
from models.tables import Case
from vocabulary.refusal import refuse
from workflows.case_activities import CaseActivities


class ApplicationActivities(CaseActivities):
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    @activity.defn
    async def open_case(self, record: StepRecord[OpenForm]) -> StepSaved:
        t, form = record.transition, record.form
        try:
            async with self._sessions.begin() as session:
                if await claim_step(session, record):
                    p = t.after
                    await put(session, Case(  # the case row first: the application references it
                        id=t.case_id, person_id=form.person_id, channel=form.channel.value,
                        step=p.step.value, status=p.status.value, holder_role=p.holder_role,
                        county_code=form.village_code[:6], township_code=form.village_code[:9],
                        village_code=form.village_code, seq=t.seq, opened_at=t.at, updated_at=t.at,
                    ), Application(
                        case_id=t.case_id, channel=form.channel.value,
                        need_description=form.need_description, submitted_by=t.actor.user_id,
                        submitted_at=t.at,
                    ))
                    at = t.at
                    plan = await project(session, t, form)  # the intake and registration deadlines start
                    await keep_answer(session, record, StepSaved(at=t.at, deadline=plan))
                else:
                    _, plan = await current_plan(session, t.case_id, t.at)
                    at = await written_at(session, t)
        except IntegrityError as err:
            if "uq_cases_open_person" in str(err.orig):
                raise refuse("duplicate_open_case", "该服务对象已有正在办理的案件，不能重复申请") from None
            raise
        return StepSaved(at=at, deadline=plan)
