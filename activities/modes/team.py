"""社工志愿服务 (001 三(六)5): the village team's plan per household (一户一档一个帮扶方案) and its services with
volunteer hours. Writes in the caller's transaction. A household's line of plan versions is one `case_modes` row
(its source is the first plan), so a new version changes nothing on the case's list."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from activities.modes.register import Serving, serve
from models.modes.team import TEAM_PLANS, TEAM_SERVICES
from vocabulary.china import china_day
from vocabulary.modes import PartyKind, ServiceMode
from vocabulary.modes_linkage import PlanStatus, TeamRole, TeamService

_t = TEAM_PLANS.c


async def make_plan(session: AsyncSession, *, plan_id: UUID, case: Any, current: Any | None, team_name: str,
                    members: list[dict[str, str]], assessment: str, plan: str, actor_id: UUID, at: datetime) -> None:
    """The household's first plan, or a new version superseding `current` (the caller checked it is current)."""
    first_id, version = (current.first_id, current.version + 1) if current is not None else (plan_id, 1)
    if current is not None:  # before the insert: the unique index allows one current plan per household
        await session.execute(update(TEAM_PLANS).where(_t.id == current.id).values(
            status=PlanStatus.SUPERSEDED.value, superseded_at=at))
    await session.execute(TEAM_PLANS.insert().values(
        id=plan_id, case_id=case.id, first_id=first_id, version=version, county_code=case.county_code,
        township_code=case.township_code, village_code=case.village_code, team_name=team_name, members=members,
        assessment=assessment, plan=plan, status=PlanStatus.CURRENT.value, created_by=actor_id, created_at=at))
    await serve(session, Serving(case_id=case.id, mode=ServiceMode.SOCIAL_WORK, source_id=first_id,
                                 party_kind=PartyKind.TEAM, party_name=team_name,
                                 summary="“红马夹”一户一档一个帮扶方案：社会融入、能力提升、心理疏导",
                                 started_on=china_day(at)))


async def record_service(session: AsyncSession, *, service_id: UUID, plan: Any, served_on: date, role: TeamRole,
                         worker: str, kind: TeamService, content: str, hours: Decimal, actor_id: UUID,
                         at: datetime) -> None:
    await session.execute(TEAM_SERVICES.insert().values(
        id=service_id, plan_id=plan.id, first_id=plan.first_id, case_id=plan.case_id, village_code=plan.village_code,
        served_on=served_on, worker_role=role.value, worker_name=worker, kind=kind.value, content=content,
        hours=hours, recorded_by=actor_id, recorded_at=at))
