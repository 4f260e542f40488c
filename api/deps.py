"""Dependencies: the resources the lifespan built, and the caller as an `Actor`."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client

from activities.documents.store import DocumentStore
from api import revocation, token_store
from api.errors import ApiError
from infra.db import Sessions
from infra.security import BadToken, Claims, read_claims
from models.payloads.actor import Actor
from models.settings import Settings
from vocabulary.case import Role
from vocabulary.china import CHINA

_bearer = OAuth2PasswordBearer(tokenUrl="/auth/token", auto_error=False)


@dataclass
class Resources:
    settings: Settings
    sessions: Sessions
    temporal: Client
    documents: DocumentStore


# Dependencies are `async def`: a plain `def` is run in the threadpool, a hop per request for no reason.
async def get_resources(request: Request) -> Resources:
    resources: Resources = request.app.state.resources
    return resources


ResourcesDep = Annotated[Resources, Depends(get_resources)]


async def get_session(resources: ResourcesDep) -> AsyncIterator[AsyncSession]:
    session = resources.sessions()
    try:
        yield session
    finally:
        # Closing after a database outage can fail (the connection is gone): the answer has been decided by
        # then, so the failure is logged, never turned into a dropped connection.
        try:
            await session.close()
        except Exception as exc:
            logging.getLogger(__name__).warning("session close failed: %s", type(exc).__name__)


SessionDep = Annotated[AsyncSession, Depends(get_session)]


async def get_claims(resources: ResourcesDep, token: Annotated[str | None, Depends(_bearer)]) -> Claims:
    if token is None:
        raise ApiError(401, "not_authenticated", "请先登录")
    try:
        claims = read_claims(token, resources.settings.token_secret)
    except BadToken:
        raise ApiError(401, "invalid_token", "登录已失效，请重新登录") from None
    if await token_store.is_revoked(resources.sessions, claims.jti, resources.settings.revocation_cache_seconds):
        raise ApiError(401, "invalid_token", "登录已失效，请重新登录")
    # Deactivated users and revoked tokens (password reset) are refused on every request; this check stays when
    # the token format changes.
    found = await revocation.standing(resources.sessions, claims.actor.user_id,
                                      resources.settings.revocation_cache_seconds)
    if not revocation.allows(found, claims.issued_at):
        raise ApiError(401, "token_revoked", "账号已停用或登录已失效，请重新登录")
    return claims


ClaimsDep = Annotated[Claims, Depends(get_claims)]


async def get_actor(claims: ClaimsDep) -> Actor:
    return claims.actor


ActorDep = Annotated[Actor, Depends(get_actor)]


async def get_today() -> date:
    """Today in China: what "overdue" and "due soon" are measured against (tests pin it to one day)."""
    return datetime.now(CHINA).date()


TodayDep = Annotated[date, Depends(get_today)]

IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", max_length=128, description="重复提交同一操作时使用相同的值，系统只办理一次"),
]


def require(actor: Actor, *roles: Role) -> None:
    if actor.role not in roles:
        raise ApiError(403, "wrong_role", "您的角色无权办理此操作")
