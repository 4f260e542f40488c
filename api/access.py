"""Jurisdiction scoping: who may see which case. Every read and every write goes through here."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import NOT_FOUND, ApiError
from models.dynamic.tables import CASE_TRANSFERS
from models.payloads.actor import Actor
from models.tables import CASES, Case
from vocabulary.case import Role

_cases = CASES.c


def case_scope(actor: Actor) -> ColumnElement[bool]:
    """The SQL condition selecting exactly the cases this actor may see."""
    if actor.role is Role.PROVIDER:
        return _cases.provider_id == actor.provider_id
    if actor.role is Role.APPLICANT:
        return _cases.person_id == actor.person_id
    # A county, township or village code is said as equality on its own column, so the planner walks that
    # column's indexes; a province or city prefix falls back to the prefix match.
    column = {6: _cases.county_code, 9: _cases.township_code, 12: _cases.village_code}.get(len(actor.jurisdiction))
    if column is not None:
        return column == actor.jurisdiction
    return _cases.village_code.startswith(actor.jurisdiction, autoescape=True)


def in_scope(actor: Actor, case: Any) -> bool:
    if actor.role is Role.PROVIDER:
        return bool(case.provider_id == actor.provider_id)
    if actor.role is Role.APPLICANT:
        return bool(case.person_id == actor.person_id)
    return str(case.village_code).startswith(actor.jurisdiction)


async def load_case(session: AsyncSession, actor: Actor, case_id: UUID, *, former_ok: bool = False) -> Case:
    """The case if `actor` may see it; otherwise 404, the same answer whether it exists or not. `former_ok`: a
    township a case was transferred away from (a move within the county) still reads it, and its history."""
    case = (await session.execute(select(Case).where(_cases.id == case_id))).scalar_one_or_none()
    if case is None or (not in_scope(actor, case)
                        and not (former_ok and await _held_before(session, actor, case_id))):
        raise ApiError(404, *NOT_FOUND)
    return case


async def _held_before(session: AsyncSession, actor: Actor, case_id: UUID) -> bool:
    if actor.role in (Role.PROVIDER, Role.APPLICANT):
        return False
    t = CASE_TRANSFERS.c
    found = (await session.execute(select(t.case_id).where(
        t.case_id == case_id, t.from_village.startswith(actor.jurisdiction, autoescape=True)).limit(1))).first()
    return found is not None


def check_village(actor: Actor, village_code: str) -> None:
    if actor.role in (Role.PROVIDER, Role.APPLICANT) or not village_code.startswith(actor.jurisdiction):
        raise ApiError(403, "out_of_jurisdiction", "该村(社区)不在您的管辖范围内")
