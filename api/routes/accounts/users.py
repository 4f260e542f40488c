"""User management for a county officer (the county's users) and a township lead (the township's workers and
village assistants). Users outside the caller's reach answer 404, like users that do not exist."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response
from sqlalchemy import select

from api.accounts import users as accounts
from api.accounts.release import release_cases
from api.deps import ActorDep, ResourcesDep, SessionDep
from models.accounts import Deactivation, DeactivationOut, PasswordReset, UserIn, UserOut, UserPatch
from models.tables import DIVISIONS, USERS
from policy import accounts as rules
from vocabulary.case import Role

router = APIRouter(prefix="/users", tags=["用户管理"])


@router.get("", summary="本辖区用户（县级民政部门：全县；乡镇(街道)分管领导：本乡镇工作人员和协理员）")
async def list_users(
    actor: ActorDep, session: SessionDep, role: Role | None = None,
    jurisdiction: Annotated[str | None, Query(pattern=r"^\d{6,12}$")] = None, active: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100, offset: Annotated[int, Query(ge=0)] = 0,
) -> list[UserOut]:
    rules.check_manager(accounts.manager_of(actor))
    u = USERS.c
    stmt = (select(USERS, DIVISIONS.c.name.label("jurisdiction_name"))
            .outerjoin(DIVISIONS, DIVISIONS.c.code == u.jurisdiction).where(accounts.user_scope(actor)))
    if role is not None:
        stmt = stmt.where(u.role == role.value)
    if jurisdiction is not None:
        stmt = stmt.where(u.jurisdiction.startswith(jurisdiction, autoescape=True))
    if active is not None:
        stmt = stmt.where(u.active.is_(active))
    rows = (await session.execute(stmt.order_by(u.jurisdiction, u.username).limit(limit).offset(offset))).all()
    return [accounts.user_out(r) for r in rows]


@router.post("", status_code=201, summary="新建用户（同名同角色同辖区重复提交时返回已有用户）")
async def create_user(body: UserIn, actor: ActorDep, session: SessionDep, response: Response) -> UserOut:
    user, created = await accounts.create_user(session, actor, body)
    if not created:
        response.status_code = 200
    return user


@router.get("/{user_id}", summary="查看用户")
async def get_user(user_id: UUID, actor: ActorDep, session: SessionDep) -> UserOut:
    return accounts.user_out(await accounts.read_user(session, actor, user_id))


@router.patch("/{user_id}", summary="修改姓名、角色、辖区或分管领导标记（角色或辖区变化后须重新登录）")
async def change_user(user_id: UUID, body: UserPatch, actor: ActorDep, session: SessionDep) -> UserOut:
    return await accounts.change_user(session, actor, user_id, body)


@router.post("/{user_id}/deactivation",
             summary="停用用户：立即收回登录，其经办的在办案件退回乡镇(街道)待办队列（可重复提交以完成未退回的案件）")
async def deactivate_user(user_id: UUID, body: Deactivation, actor: ActorDep, session: SessionDep,
                          resources: ResourcesDep) -> DeactivationOut:
    user = await accounts.set_active(session, actor, user_id, False, body.reason)
    await session.close()  # no connection held while the case workflows answer
    released = await release_cases(resources, actor, user_id)
    return DeactivationOut(user=user, released=released, pending=sum(not r.ok for r in released))


@router.post("/{user_id}/reactivation", summary="重新启用用户")
async def reactivate_user(user_id: UUID, body: Deactivation, actor: ActorDep, session: SessionDep) -> UserOut:
    return await accounts.set_active(session, actor, user_id, True, body.reason)


@router.post("/{user_id}/password-reset", summary="重置密码（此前签发的登录全部失效）")
async def reset_password(user_id: UUID, body: PasswordReset, actor: ActorDep, session: SessionDep) -> UserOut:
    return await accounts.reset_password(session, actor, user_id, body.password)
