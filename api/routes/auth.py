"""Log in with username and password; get a bearer token carrying role and jurisdiction."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordRequestForm
from sqlalchemy import select

from api.deps import ActorDep, ResourcesDep, SessionDep
from api.errors import ApiError
from infra.security import issue_token, verify_password
from models.payloads.actor import Actor
from models.tables import USERS, User

router = APIRouter(prefix="/auth", tags=["登录"])


@router.post("/token", summary="登录")
async def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], session: SessionDep, resources: ResourcesDep
) -> dict[str, str]:
    user = (await session.execute(
        select(User).where(USERS.c.username == form.username, USERS.c.active.is_(True))
    )).scalar_one_or_none()
    if not verify_password(form.password, user.password_hash if user else None) or user is None:
        raise ApiError(401, "bad_credentials", "用户名或密码错误")
    actor = Actor(user_id=user.id, role=user.role, jurisdiction=user.jurisdiction,
                  provider_id=user.provider_id, person_id=user.person_id, lead=user.is_lead)
    token = issue_token(actor, resources.settings.token_secret, resources.settings.token_ttl_hours * 3600)
    return {"access_token": token, "token_type": "bearer", "role": user.role, "full_name": user.full_name,
            "jurisdiction": user.jurisdiction}


@router.get("/me", summary="当前登录用户")
async def me(actor: ActorDep) -> Actor:
    return actor
