"""Access and refresh tokens over their life: issued at login, rotated at refresh, revoked at logout.

An access token is a short-lived JWT (infra/security.py); logout puts its "jti" on a deny list until it would
have expired. A refresh token is opaque and kept only as a hash; each use rotates it, and a used one presented
again revokes its whole family (someone else has a copy). A deactivated user gets no new tokens.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import ApiError
from infra.db import Prepared, Sessions, driver_connection
from infra.security import Claims, issue_access_token, new_refresh_token, refresh_token_hash
from models.payloads.actor import Actor
from models.security_tables import REFRESH_TOKENS, REVOKED_TOKENS
from models.settings import Settings
from models.tables import USERS

_r, _x = REFRESH_TOKENS.c, REVOKED_TOKENS.c
EXPIRED = ApiError(401, "invalid_refresh_token", "登录已过期，请重新登录")


def actor_of(user: Any) -> Actor:
    return Actor(user_id=user.id, role=user.role, jurisdiction=user.jurisdiction, provider_id=user.provider_id,
                 person_id=user.person_id, lead=user.is_lead)


async def issue_pair(session: AsyncSession, settings: Settings, actor: Actor,
                     family: UUID | None = None) -> dict[str, Any]:
    access, claims = issue_access_token(actor, settings.token_secret, settings.access_token_minutes * 60)
    refresh, digest = new_refresh_token()
    now = datetime.now(UTC)
    await session.execute(insert(REFRESH_TOKENS).values(
        id=uuid.uuid4(), user_id=actor.user_id, family_id=family or uuid.uuid4(), token_hash=digest,
        issued_at=now, expires_at=now + timedelta(hours=settings.refresh_token_hours)))
    await session.commit()
    return {"access_token": access, "token_type": "bearer", "expires_in": settings.access_token_minutes * 60,
            "refresh_token": refresh, "expires_at": datetime.fromtimestamp(claims.expires_at, UTC).isoformat()}


async def rotate(session: AsyncSession, settings: Settings, token: str) -> dict[str, Any]:
    now = datetime.now(UTC)
    row = (await session.execute(select(REFRESH_TOKENS).where(_r.token_hash == refresh_token_hash(token))
                                 .with_for_update())).first()
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        raise EXPIRED
    if row.used_at is not None:  # presented twice: someone else holds a copy; the whole family ends
        await session.execute(update(REFRESH_TOKENS).where(_r.family_id == row.family_id, _r.revoked_at.is_(None))
                              .values(revoked_at=now))
        await session.commit()
        raise EXPIRED
    user = (await session.execute(select(USERS).where(USERS.c.id == row.user_id, USERS.c.active.is_(True)))).first()
    if user is None:
        raise EXPIRED
    await session.execute(update(REFRESH_TOKENS).where(_r.id == row.id).values(used_at=now))
    return await issue_pair(session, settings, actor_of(user), family=row.family_id)


async def logout(session: AsyncSession, claims: Claims, refresh: str | None) -> None:
    """The access token at once, and the refresh token's family (or, without one, every refresh token of the
    user issued up to now: logging out ends the session on this device and any copy of it)."""
    now = datetime.now(UTC)
    await session.execute(insert(REVOKED_TOKENS).values(
        jti=claims.jti, user_id=claims.actor.user_id, expires_at=datetime.fromtimestamp(claims.expires_at, UTC),
    ).on_conflict_do_nothing())
    target = _r.user_id == claims.actor.user_id
    if refresh:
        family = (await session.execute(select(_r.family_id).where(
            _r.token_hash == refresh_token_hash(refresh), _r.user_id == claims.actor.user_id))).scalar()
        if family is not None:
            target = _r.family_id == family
    await session.execute(update(REFRESH_TOKENS).where(target, _r.revoked_at.is_(None)).values(revoked_at=now))
    await session.commit()


# Asked on every authenticated request: prepared, on the driver connection, without a transaction (one round
# trip instead of BEGIN, SELECT, ROLLBACK through a session).
_REVOKED = Prepared(select(_x.jti).where(_x.jti == bindparam("jti", type_=_x.jti.type)))


async def is_revoked(sessions: Sessions, jti: str) -> bool:
    async with driver_connection(sessions) as conn:
        return await conn.fetchval(_REVOKED.sql, *_REVOKED.args({"jti": jti})) is not None
