"""Log in with username and password; get a short-lived access token (JWT) and a refresh token; refresh; log out.

Repeated failures lock the username and the client address for a while (api/login_guard.py).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import Field
from sqlalchemy import select

from api import token_store
from api.deps import ActorDep, ClaimsDep, ResourcesDep, SessionDep
from api.errors import ApiError
from api.login_guard import Subjects, check_not_locked, record_failure, record_success
from infra.security import verify_password
from models.payloads.actor import Actor
from models.schemas import Schema
from models.tables import USERS, User

router = APIRouter(prefix="/auth", tags=["登录"])


class RefreshIn(Schema):
    refresh_token: Annotated[str, Field(min_length=1, max_length=200)]


class LogoutIn(Schema):
    refresh_token: Annotated[str | None, Field(max_length=200)] = None


@router.post("/token", summary="登录（多次失败后暂时锁定）")
async def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], request: Request, session: SessionDep,
    resources: ResourcesDep,
) -> dict[str, Any]:
    who = Subjects(form.username, request.client.host if request.client else "unknown")
    await check_not_locked(session, who)
    user = (await session.execute(
        select(User).where(USERS.c.username == form.username, USERS.c.active.is_(True))
    )).scalar_one_or_none()
    if not verify_password(form.password, user.password_hash if user else None) or user is None:
        await record_failure(session, resources.settings, who)
        raise ApiError(401, "bad_credentials", "用户名或密码错误")
    await record_success(session, who)
    tokens = await token_store.issue_pair(session, resources.settings, token_store.actor_of(user))
    return {**tokens, "role": user.role, "full_name": user.full_name, "jurisdiction": user.jurisdiction}


@router.post("/refresh", summary="用刷新令牌换取新的登录令牌（刷新令牌每次使用后更换）")
async def refresh(body: RefreshIn, session: SessionDep, resources: ResourcesDep) -> dict[str, Any]:
    return await token_store.rotate(session, resources.settings, body.refresh_token)


@router.post("/logout", status_code=204, summary="退出登录：本令牌与其刷新令牌立即失效")
async def logout(claims: ClaimsDep, session: SessionDep, body: LogoutIn | None = None) -> None:
    await token_store.logout(session, claims, body.refresh_token if body else None)


@router.get("/me", summary="当前登录用户")
async def me(actor: ActorDep) -> Actor:
    return actor
