"""Jurisdiction scoping: who may see which case. Every read and every write goes through here."""

from __future__ import annotations

from typing import Any, cast
from uuid import UUID

from sqlalchemy import ColumnElement, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import NOT_FOUND, ApiError
from models.dynamic.tables import CASE_TRANSFERS
from models.payloads.actor import Actor
from models.tables import CASES, Case
from vocabulary.case import Role

_cases = CASES.c


def case_scope(actor: Actor, bind: str | None = None) -> ColumnElement[bool]:
    """The SQL condition selecting exactly the cases this actor may see. `bind` names the value compared, so a
    statement compiled once serves every actor whose condition has the same form (`scope_form`), each running it
    with its own value (`scope_value`)."""
    form, value = scope_form(actor), scope_value(actor)
    column = _cases.village_code if form == "prefix" else _cases[form]
    compared: Any = value if bind is None else bindparam(bind, value, type_=column.type)
    if form == "prefix":  # escaped by scope_value, as autoescape would (which takes a literal, not a parameter)
        return column.startswith(compared, escape="/")
    return cast(ColumnElement[bool], column == compared)


def scope_form(actor: Actor) -> str:
    """The column `case_scope` compares for this actor; "prefix" for a LIKE on the village code."""
    if actor.role is Role.PROVIDER:
        return "provider_id"
    if actor.role is Role.APPLICANT:
        return "person_id"
    # A county, township or village code is said as equality on its own column, so the planner walks that
    # column's indexes; a province or city prefix falls back to the prefix match.
    return {6: "county_code", 9: "township_code", 12: "village_code"}.get(len(actor.jurisdiction), "prefix")


def scope_value(actor: Actor) -> Any:
    """The value `case_scope` compares (for a prefix, escaped for LIKE with "/")."""
    if actor.role is Role.PROVIDER:
        return actor.provider_id
    if actor.role is Role.APPLICANT:
        return actor.person_id
    if scope_form(actor) == "prefix":
        return actor.jurisdiction.replace("/", "//").replace("%", "/%").replace("_", "/_")
    return actor.jurisdiction


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
