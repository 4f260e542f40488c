"""Access and refresh tokens over their life: issued at login, rotated at refresh, revoked at logout.

An access token is a short-lived JWT (infra/security.py); logout puts its "jti" on a deny list until it would
have expired. Every request checks the list: each API process holds the list's live entries (tokens revoked and
not yet expired: a few per logout, gone within `access_token_minutes`) and reloads them once they are older than
`revocation_cache_seconds`, so a request costs no round trip; the process that logs a token out denies it at
once, the others within those seconds — as for a deactivated user (api/revocation.py).

A refresh token is opaque and kept only as a hash; each use rotates it, and a used one presented again revokes
its whole family (someone else has a copy). A deactivated user gets no new tokens.
"""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import ApiError
from infra.db import Sessions
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
    _denied.add(claims.jti)  # this process at once; the others at their next reload
    target = _r.user_id == claims.actor.user_id
    if refresh:
        family = (await session.execute(select(_r.family_id).where(
            _r.token_hash == refresh_token_hash(refresh), _r.user_id == claims.actor.user_id))).scalar()
        if family is not None:
            target = _r.family_id == family
    await session.execute(update(REFRESH_TOKENS).where(target, _r.revoked_at.is_(None)).values(revoked_at=now))
    await session.commit()


# The deny list's live entries in this process and when they were read (monotonic); see the module doc.
_denied: set[str] = set()
_loaded_at: float | None = None
# Bounds the merged set: past this many, a reload starts from the table again (expired entries drop out).
_DENIED_LIMIT = 100_000


async def is_revoked(sessions: Sessions, jti: str, ttl: float) -> bool:
    global _denied, _loaded_at
    now = time.monotonic()
    if _loaded_at is None or now - _loaded_at >= ttl:
        async with sessions() as session:
            rows = (await session.execute(select(_x.jti).where(_x.expires_at > datetime.now(UTC)))).scalars()
            # Merged, not replaced: a jti this process denied stays denied if a reload read the table before the
            # logout's commit.
            _denied = _denied | set(rows) if len(_denied) < _DENIED_LIMIT else set(rows)
        _loaded_at = now
    return jti in _denied
