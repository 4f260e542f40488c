"""Who may see and do what in oversight. Every oversight record carries the division it belongs to (a village,
a township, a county) and, where a provider is concerned, the provider: a record outside the asker's
jurisdiction answers exactly like one that does not exist (404), so its existence is not disclosed."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, false, insert
from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import ApiError
from models.payloads.actor import Actor
from models.tables import AUDIT
from vocabulary.case import Role

STAFF = (Role.VILLAGE_ASSISTANT, Role.TOWNSHIP_WORKER, Role.COUNTY_OFFICER, Role.AUDITOR)
SUPERVISORS = (Role.TOWNSHIP_WORKER, Role.COUNTY_OFFICER, Role.AUDITOR)


def not_found(what: str) -> ApiError:
    return ApiError(404, "not_found", f"{what}不存在")


def within(actor: Actor, code: str | None, roles: tuple[Role, ...] = STAFF) -> bool:
    """A division-coded record is the actor's when the actor's role may read it and the code is inside the
    actor's jurisdiction."""
    return actor.role in roles and code is not None and code.startswith(actor.jurisdiction)


def division_scope(actor: Actor, column: Any, roles: tuple[Role, ...] = STAFF) -> ColumnElement[bool]:
    if actor.role not in roles:
        return false()
    result: ColumnElement[bool] = column.startswith(actor.jurisdiction, autoescape=True)
    return result


def provider_or_division(actor: Actor, provider_column: Any, division_column: Any,
                         roles: tuple[Role, ...] = SUPERVISORS) -> ColumnElement[bool]:
    """Records about a provider: the provider sees its own; staff see their jurisdiction's."""
    if actor.role is Role.PROVIDER:
        result: ColumnElement[bool] = provider_column == actor.provider_id
        return result
    return division_scope(actor, division_column, roles)


def county_officer(actor: Actor) -> str:
    """The county of a county officer; anyone else is refused."""
    if actor.role is not Role.COUNTY_OFFICER or len(actor.jurisdiction) != 6:
        raise ApiError(403, "wrong_role", "此操作由县级民政部门办理")
    return actor.jurisdiction


async def audit(session: AsyncSession, actor: Actor, action: str, after: dict[str, Any]) -> None:
    """An audit row outside any case, in the caller's transaction (no personal data in `after`)."""
    await session.execute(insert(AUDIT).values(
        case_id=None, seq=None, action=action, actor_id=actor.user_id, actor_role=actor.role.value, after=after,
        at=datetime.now(UTC)))
