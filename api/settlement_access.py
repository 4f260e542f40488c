"""Who may see and do what in settlement, and the audit row of every configuration change.

Statements carry names of the people served, so a statement is visible only inside its purchaser's
jurisdiction (a township sees its own, the county all of its county's) or to the provider it pays. A case's
statements are read through the case (api/access.py), like every other part of a case's file.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, false, insert
from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import ApiError
from models.payloads.actor import Actor
from models.settlement.tables import STATEMENTS
from models.tables import AUDIT
from vocabulary.case import Role

READERS = (Role.TOWNSHIP_WORKER, Role.COUNTY_OFFICER, Role.AUDITOR, Role.PROVIDER)
_s = STATEMENTS.c


def statement_scope(actor: Actor) -> ColumnElement[bool]:
    if actor.role is Role.PROVIDER:
        return _s.provider_id == actor.provider_id
    if actor.role in (Role.TOWNSHIP_WORKER, Role.COUNTY_OFFICER, Role.AUDITOR):
        return _s.purchaser_code.startswith(actor.jurisdiction, autoescape=True)
    return false()


def in_statement_scope(actor: Actor, row: Any) -> bool:
    if actor.role is Role.PROVIDER:
        return bool(row.provider_id == actor.provider_id)
    if actor.role in (Role.TOWNSHIP_WORKER, Role.COUNTY_OFFICER, Role.AUDITOR):
        return str(row.purchaser_code).startswith(actor.jurisdiction)
    return False


def county_of(actor: Actor) -> str:
    """The county an officer or worker belongs to (the first six digits of any jurisdiction below it)."""
    if len(actor.jurisdiction) < 6:
        raise ApiError(403, "out_of_jurisdiction", "此操作须在县级及以下辖区内办理")
    return actor.jurisdiction[:6]


def require_county_officer(actor: Actor) -> str:
    if actor.role is not Role.COUNTY_OFFICER:
        raise ApiError(403, "wrong_role", "服务清单、收费标准和结算配置由县级民政部门办理")
    return county_of(actor)


def check_purchaser(actor: Actor, purchaser_code: str) -> None:
    """A county officer acts for the county and its townships; a township worker for its own township."""
    if actor.role is Role.COUNTY_OFFICER and purchaser_code.startswith(actor.jurisdiction):
        return
    if actor.role is Role.TOWNSHIP_WORKER and purchaser_code == actor.jurisdiction:
        return
    raise ApiError(403, "out_of_jurisdiction", "购买主体不在您的管辖范围内")


async def audit(session: AsyncSession, actor: Actor, action: str, after: dict[str, Any]) -> None:
    """An audit row outside any case (case_id and seq empty), in the caller's transaction."""
    await session.execute(insert(AUDIT).values(
        case_id=None, seq=None, action=action, actor_id=actor.user_id, actor_role=actor.role.value, after=after,
        at=datetime.now(UTC),
    ))
