"""Who and where, for the console's pickers: the divisions of the user's county (township and village names
for filters and the heatmap) and the township workers a supervisor may assign a case to."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from sqlalchemy import select

from api.deps import ActorDep, SessionDep, require
from models.schemas import Out
from models.tables import DIVISIONS, USERS
from vocabulary.case import Role

router = APIRouter(tags=["目录"])


class DivisionOut(Out):
    code: str
    name: str
    level: str
    parent_code: str | None


class AssigneeOut(Out):
    id: UUID
    full_name: str
    jurisdiction: str
    lead: bool


@router.get("/divisions", summary="本县的乡镇(街道)与村(社区)名称")
async def divisions(actor: ActorDep, session: SessionDep) -> list[DivisionOut]:
    d = DIVISIONS.c
    county = actor.jurisdiction[:6]
    rows = (await session.execute(
        select(d.code, d.name, d.level, d.parent_code)
        .where(d.code.startswith(county, autoescape=True), d.code != county).order_by(d.code)
    )).all()
    return [DivisionOut.model_validate(dict(r._mapping)) for r in rows]


@router.get("/assignees", summary="可改派的经办人：辖区内在岗的乡镇(街道)社会救助工作人员")
async def assignees(actor: ActorDep, session: SessionDep) -> list[AssigneeOut]:
    require(actor, Role.TOWNSHIP_WORKER, Role.COUNTY_OFFICER, Role.AUDITOR)
    u = USERS.c
    rows = (await session.execute(
        select(u.id, u.full_name, u.jurisdiction, u.is_lead.label("lead"))
        .where(u.role == Role.TOWNSHIP_WORKER.value, u.active.is_(True),
               u.jurisdiction.startswith(actor.jurisdiction, autoescape=True))
        .order_by(u.jurisdiction, u.full_name)
    )).all()
    return [AssigneeOut.model_validate(dict(r._mapping)) for r in rows]
