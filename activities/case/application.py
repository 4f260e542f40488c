"""Step 1, 个人申请或主动发现: the case row, the application record and the first audit row."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from temporalio import activity

from activities.case.common import StepActivities, claim, project, refuse
from activities.deadlines.plan import current_plan
from models.payloads import Action, OpenForm, Record, StepWritten
from models.tables import Application, Case


class ApplicationActivities(StepActivities):
    @activity.defn(name=Action.OPEN.value)
    async def open_case(self, record: Record[OpenForm]) -> StepWritten:
        t, body = record.transition, record.body
        try:
            async with self._sessions.begin() as session:
                if await claim(session, t, body):
                    h = t.after
                    session.add(Case(
                        id=t.case_id, person_id=body.person_id, channel=body.channel.value,
                        step=h.step.value, status=h.status.value, holder_role=h.holder_role,
                        county_code=body.village_code[:6], township_code=body.village_code[:9],
                        village_code=body.village_code, seq=t.seq, opened_at=t.at, updated_at=t.at,
                    ))
                    await session.flush()  # the case row first: applications reference it
                    session.add(Application(
                        case_id=t.case_id, channel=body.channel.value,
                        need_description=body.need_description, submitted_by=t.actor.user_id,
                        submitted_at=t.at,
                    ))
                    plan = await project(session, t, body)  # the intake and registration deadlines start
                else:
                    _, plan = await current_plan(session, t.case_id, t.at)
        except IntegrityError as err:
            if "uq_cases_open_person" in str(err.orig):
                raise refuse("duplicate_open_case", "该服务对象已有正在办理的案件，不能重复申请") from None
            raise
        return StepWritten(at=t.at, deadline=plan)
