"""Users of a county: created, changed, deactivated and their passwords reset by a county officer (the whole
county) or a township lead (the township's workers and village assistants). The API and the admin CLI both
come through here, so a rule holds whichever door is used. Each change writes an audit row (no password, no
hash) in the same transaction.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from api import revocation
from api.accounts.divisions import require_division
from api.errors import ApiError
from api.settlement_access import audit
from infra.security import hash_password
from models.accounts import UserIn, UserOut, UserPatch
from models.payloads.actor import Actor
from models.tables import DIVISIONS, PROVIDERS, USERS, User
from policy import accounts as rules
from vocabulary.case import Role

_u = USERS.c


def manager_of(actor: Actor) -> rules.Manager:
    return rules.Manager(actor.role, actor.jurisdiction, actor.lead)


def user_scope(actor: Actor) -> ColumnElement[bool]:
    """The users this actor manages (and so may see): roles it manages, inside its jurisdiction."""
    managed = [r.value for r in rules.manages(manager_of(actor))]
    scope = _u.role.in_(managed) & _u.jurisdiction.startswith(actor.jurisdiction, autoescape=True)
    if actor.role is not Role.COUNTY_OFFICER:
        scope &= _u.is_lead.is_(False)
    return scope


def user_out(row: Any) -> UserOut:
    return UserOut(id=row.id, username=row.username, full_name=row.full_name, role=Role(row.role),
                   role_zh=Role(row.role).zh, jurisdiction=row.jurisdiction,
                   jurisdiction_name=getattr(row, "jurisdiction_name", None), lead=row.is_lead,
                   provider_id=row.provider_id, active=row.active)


async def read_user(session: AsyncSession, actor: Actor, user_id: UUID) -> Any:
    """The user, when this actor manages it; 404 alike for a foreign and an absent one."""
    rules.check_manager(manager_of(actor))
    row = (await session.execute(
        select(USERS, DIVISIONS.c.name.label("jurisdiction_name"))
        .outerjoin(DIVISIONS, DIVISIONS.c.code == _u.jurisdiction)
        .where(_u.id == user_id, user_scope(actor))
    )).first()
    if row is None:
        raise ApiError(404, "user_not_found", "用户不存在")
    return row


async def _check_provider(session: AsyncSession, role: Role, jurisdiction: str, provider_id: UUID | None) -> None:
    if role is not Role.PROVIDER:
        if provider_id is not None:
            raise ApiError(422, "provider_not_allowed", "只有服务供给主体的账号才能指明所属机构")
        return
    row = (await session.execute(select(PROVIDERS.c.county_code, PROVIDERS.c.active).where(
        PROVIDERS.c.id == provider_id))).first() if provider_id else None
    if row is None or row.county_code != jurisdiction[:6] or not row.active:
        raise ApiError(422, "unknown_provider", "服务供给主体的账号须指明本县已登记且在册的机构")


async def create_user(session: AsyncSession, actor: Actor, body: UserIn) -> tuple[UserOut, bool]:
    """Create the user, or find it unchanged (same username, role, jurisdiction): (user, created). Commits."""
    rules.check_assignment(manager_of(actor), body.role, body.jurisdiction, body.lead)
    rules.check_password(body.password)
    await require_division(session, body.jurisdiction)
    await _check_provider(session, body.role, body.jurisdiction, body.provider_id)
    values = {"id": uuid4(), "username": body.username, "full_name": body.full_name, "role": body.role.value,
              "jurisdiction": body.jurisdiction, "provider_id": body.provider_id, "person_id": None,
              "password_hash": hash_password(body.password), "is_lead": body.lead, "active": True}
    added = (await session.execute(
        insert(User).values(**values).on_conflict_do_nothing(index_elements=["username"]).returning(_u.id)
    )).scalar_one_or_none()
    if added is None:
        await session.rollback()
        same = (await session.execute(select(USERS).where(
            _u.username == body.username, _u.role == body.role.value, _u.jurisdiction == body.jurisdiction,
            user_scope(actor)))).first()
        if same is None:
            raise ApiError(409, "username_taken", f"登录名“{body.username}”已被使用，请换一个")
        return user_out(same), False
    await audit(session, actor, "user_created", {"user_id": str(added), "username": body.username,
                                                 "role": body.role.value, "jurisdiction": body.jurisdiction,
                                                 "lead": body.lead})
    await session.commit()
    return user_out(await read_user(session, actor, added)), True


async def change_user(session: AsyncSession, actor: Actor, user_id: UUID, body: UserPatch) -> UserOut:
    """Name, role, jurisdiction or the lead flag, within what the actor may assign. Revokes tokens when the
    role, jurisdiction or lead flag change, since a token carries them. Commits."""
    row = await read_user(session, actor, user_id)
    rules.check_target(manager_of(actor), actor.user_id, row.id, Role(row.role), row.jurisdiction, row.is_lead)
    role = body.role or Role(row.role)
    jurisdiction = body.jurisdiction or row.jurisdiction
    lead = row.is_lead if body.lead is None else body.lead
    changes: dict[str, Any] = body.model_dump(exclude_unset=True, exclude_none=True)
    if {"role", "jurisdiction", "lead"} & changes.keys():
        rules.check_assignment(manager_of(actor), role, jurisdiction, lead)
        await require_division(session, jurisdiction)
        await _check_provider(session, role, jurisdiction, row.provider_id)
    values = {k: v for k, v in {"full_name": body.full_name, "role": role.value, "jurisdiction": jurisdiction,
                                "is_lead": lead}.items() if v is not None}
    if (role.value, jurisdiction, lead) != (row.role, row.jurisdiction, row.is_lead):
        values["tokens_valid_after"] = datetime.now(UTC)
    await session.execute(update(USERS).where(_u.id == user_id).values(**values))
    await audit(session, actor, "user_changed", {"user_id": str(user_id), **{k: str(v) for k, v in changes.items()}})
    await session.commit()
    revocation.forget(user_id)
    return user_out(await read_user(session, actor, user_id))


async def set_active(session: AsyncSession, actor: Actor, user_id: UUID, active: bool, reason: str) -> UserOut:
    """Deactivate (revoking every token) or reactivate. Idempotent. Commits."""
    row = await read_user(session, actor, user_id)
    rules.check_target(manager_of(actor), actor.user_id, row.id, Role(row.role), row.jurisdiction, row.is_lead)
    if row.active != active:
        values: dict[str, Any] = {"active": active}
        if not active:
            values["tokens_valid_after"] = datetime.now(UTC)
        await session.execute(update(USERS).where(_u.id == user_id).values(**values))
        await audit(session, actor, "user_deactivated" if not active else "user_reactivated",
                    {"user_id": str(user_id), "reason": reason})
        await session.commit()
    revocation.forget(user_id)
    return user_out(await read_user(session, actor, user_id))


async def reset_password(session: AsyncSession, actor: Actor, user_id: UUID, password: str) -> UserOut:
    """A new password; every token issued before it is refused. Commits."""
    row = await read_user(session, actor, user_id)
    rules.check_target(manager_of(actor), actor.user_id, row.id, Role(row.role), row.jurisdiction, row.is_lead)
    rules.check_password(password)
    await session.execute(update(USERS).where(_u.id == user_id).values(
        password_hash=hash_password(password), tokens_valid_after=datetime.now(UTC)))
    await audit(session, actor, "password_reset", {"user_id": str(user_id)})
    await session.commit()
    revocation.forget(user_id)
    return user_out(row)
