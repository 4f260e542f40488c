"""The working calendar and a county's deadline rules, maintained by county officers.

Loading a year's official holiday schedule (from the State Council notice) takes precedence over the shipped
one and makes every provisional deadline final: the cases are recomputed by a durable workflow.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import Field, model_validator
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert

from activities.deadlines.plan import county_rules, forget_calendar, work_calendar
from api.deps import ActorDep, ResourcesDep, SessionDep, require
from api.errors import ApiError
from models.deadline_tables import CALENDAR_DAYS, CALENDAR_YEARS, CalendarYear, CountyDeadlines
from models.payloads.jobs import ReloadInput
from models.schemas import Out, Schema
from models.tables import AuditEntry
from policy import deadlines as policy
from vocabulary.case import Role
from vocabulary.deadlines import DeadlineRule
from workflows.calendar_reload import CalendarReloadWorkflow

router = APIRouter(tags=["工作日与办理时限"])
Year = Annotated[int, Path(ge=2004, le=2100)]


class CalendarIn(Schema):
    notice: Annotated[str, Field(min_length=4, max_length=200, description="通知文号或标题")]
    holidays: list[date] = Field(min_length=1, max_length=60, description="放假日期（含周末）")
    workdays: list[date] = Field(default_factory=list, max_length=20, description="调休上班的周末日期")

    @model_validator(mode="after")
    def _consistent(self) -> CalendarIn:
        if set(self.holidays) & set(self.workdays):
            raise ValueError("同一天不能既放假又调休上班")
        if any(d.weekday() < 5 for d in self.workdays):
            raise ValueError("调休上班日应为周六或周日")
        return self


class CalendarOut(Out):
    year: int
    source: str  # loaded 县级录入 / shipped 内置 / unpublished 未公布（按周一至周五暂算）
    notice: str | None
    holidays: list[date]
    workdays: list[date]
    recompute_workflow_id: str | None = None


class RuleOut(Out):
    rule: str
    name: str
    working_days: int
    default: int


class RulesIn(Schema):
    rules: dict[str, Annotated[int, Field(ge=0, le=60)]]


@router.get("/calendar/{year}", summary="查看某年的节假日与调休安排")
async def get_calendar(year: Year, actor: ActorDep, session: SessionDep) -> CalendarOut:
    cal = await work_calendar(session, fresh=True)
    notice = (await session.execute(select(CALENDAR_YEARS.c.notice).where(CALENDAR_YEARS.c.year == year))).scalar()
    schedule = cal.years.get(year)
    source = "loaded" if notice else ("shipped" if schedule else "unpublished")
    return CalendarOut(year=year, source=source, notice=notice,
                       holidays=sorted(schedule.holidays) if schedule else [],
                       workdays=sorted(schedule.workdays) if schedule else [])


@router.put("/calendar/{year}", summary="录入或更正某年的节假日安排（以国务院办公厅通知为准）")
async def load_calendar(
    year: Year, body: CalendarIn, actor: ActorDep, session: SessionDep, resources: ResourcesDep
) -> CalendarOut:
    require(actor, Role.COUNTY_OFFICER)
    if any(d.year != year for d in [*body.holidays, *body.workdays]):
        raise ApiError(422, "wrong_year", f"所有日期都应在{year}年内")
    now = datetime.now(UTC)
    await session.execute(delete(CALENDAR_DAYS).where(CALENDAR_DAYS.c.year == year))
    await session.execute(insert(CalendarYear).values(year=year, notice=body.notice, loaded_by=actor.user_id,
                                                      loaded_at=now).on_conflict_do_update(
        index_elements=["year"], set_={"notice": body.notice, "loaded_by": actor.user_id, "loaded_at": now}))
    rows = [{"day": d, "year": year, "kind": "holiday"} for d in body.holidays]
    rows += [{"day": d, "year": year, "kind": "workday"} for d in body.workdays]
    await session.execute(insert(CALENDAR_DAYS).values(rows))
    session.add(AuditEntry(action="calendar_loaded", actor_id=actor.user_id, actor_role=actor.role, at=now,
                           after={"year": year, "notice": body.notice, "holidays": len(body.holidays),
                                  "workdays": len(body.workdays)}))
    await session.commit()
    workflow_id = f"calendar-reload-{year}-{uuid.uuid4().hex[:8]}"
    await resources.temporal.start_workflow(CalendarReloadWorkflow.run, ReloadInput(year=year), id=workflow_id,
                                            task_queue=resources.settings.task_queue)
    out = await get_calendar(year, actor, session)
    return out.model_copy(update={"recompute_workflow_id": workflow_id})


@router.get("/deadline-rules", summary="本县办理时限（工作日）")
async def get_rules(actor: ActorDep, session: SessionDep) -> list[RuleOut]:
    rules = await county_rules(session, actor.jurisdiction[:6], fresh=True)
    return [RuleOut(rule=k, name=DeadlineRule.label(k), working_days=rules[k], default=v)
            for k, v in policy.DEFAULT_RULES.items()]


@router.put("/deadline-rules", summary="调整本县办理时限（仅对此后开始计时的环节生效）")
async def put_rules(body: RulesIn, actor: ActorDep, session: SessionDep) -> list[RuleOut]:
    require(actor, Role.COUNTY_OFFICER)
    unknown = set(body.rules) - set(policy.DEFAULT_RULES)
    if unknown:
        raise ApiError(422, "unknown_rule", f"未知的时限项：{'、'.join(sorted(unknown))}")
    if any(v < 1 for k, v in body.rules.items() if k != policy.REMINDER_BEFORE):
        raise ApiError(422, "invalid_rule", "办理时限至少为1个工作日")
    county = actor.jurisdiction[:6]
    current = await county_rules(session, county)
    merged = {k: v for k, v in {**current, **body.rules}.items() if policy.DEFAULT_RULES[k] != v}
    now = datetime.now(UTC)
    await session.execute(insert(CountyDeadlines).values(
        county_code=county, rules=merged, updated_by=actor.user_id, updated_at=now,
    ).on_conflict_do_update(index_elements=["county_code"],
                            set_={"rules": merged, "updated_by": actor.user_id, "updated_at": now}))
    session.add(AuditEntry(action="deadline_rules_changed", actor_id=actor.user_id, actor_role=actor.role,
                           at=now, after={"county": county, "rules": body.rules}))
    await session.commit()
    forget_calendar()  # this process starts new deadlines on the new rules at once; others within seconds
    return await get_rules(actor, session)
