"""`assistflow county-officer` and `assistflow users …`: the first county officer of a county, then any user."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import typer
from sqlalchemy import select

from admin.context import Admin, admin_actor, done, fail, form, run
from api.accounts import users as accounts
from api.accounts.release import release_cases
from models.accounts import UserIn
from models.tables import PROVIDERS, USERS
from vocabulary.case import Role

app = typer.Typer(help="用户：新建、停用、启用、重置密码、列表 / users: create, deactivate, reactivate, reset, list",
                  no_args_is_help=True)

County = Annotated[str, typer.Option("--county", help="县级区划代码(6位) / county code, e.g. 341702")]
PasswordOpt = Annotated[str, typer.Option(prompt="初始密码 / initial password", hide_input=True,
                                          confirmation_prompt=True, envvar="ASSISTFLOW_PASSWORD",
                                          help="至少10位，含字母和数字 (or ASSISTFLOW_PASSWORD)")]


async def _find(a: Admin, username: str) -> Any:
    async with a.sessions() as session:
        row = (await session.execute(select(USERS).where(USERS.c.username == username))).first()
    if row is None or len(row.jurisdiction) < 6:
        fail(f"用户“{username}”不存在", f"no user named {username!r}", "user_not_found")
    return row


async def _provider_by_credit(a: Admin, county: str, credit_code: str | None) -> UUID | None:
    if credit_code is None:
        return None
    async with a.sessions() as session:
        found: UUID | None = (await session.execute(select(PROVIDERS.c.id).where(
            PROVIDERS.c.credit_code == credit_code.strip().upper(), PROVIDERS.c.county_code == county))).scalar()
    if found is None:
        fail("本县没有登记该统一社会信用代码的服务供给主体", "no provider with that credit code in this county",
             "unknown_provider")
    return found


def create(county: str, body: UserIn) -> None:
    async def work(a: Admin) -> None:
        async with a.sessions() as session:
            user, created = await accounts.create_user(session, admin_actor(county), body)
        label = f"{user.username}（{user.full_name}，{user.role.zh}，{user.jurisdiction}）"
        if created:
            done(f"已创建用户 {label}，id {user.id}", f"created user {user.username} ({user.role.value}), id {user.id}")
        else:
            done(f"用户已存在，未改动：{label}", f"user {user.username} already exists, unchanged")

    run(work)


def county_officer(
    county: Annotated[str, typer.Argument(help="县级区划代码(6位) / county code")],
    username: Annotated[str, typer.Argument(help="登录名 / login name")],
    name: Annotated[str, typer.Option("--name", help="姓名 / full name")],
    password: PasswordOpt,
) -> None:
    """新建县级民政部门用户（一个县的第一个用户） / create a county officer (a county's first user)."""
    create(county, form(UserIn, username=username, full_name=name, role=Role.COUNTY_OFFICER, jurisdiction=county,
                        password=password))


@app.command("create")
def create_user(
    county: County,
    username: Annotated[str, typer.Argument(help="登录名 / login name")],
    name: Annotated[str, typer.Option("--name", help="姓名 / full name")],
    role: Annotated[Role, typer.Option("--role", help="角色 / role")],
    jurisdiction: Annotated[str, typer.Option("--jurisdiction", help="辖区代码 / division code (6, 9 or 12 digits)")],
    password: PasswordOpt,
    lead: Annotated[bool, typer.Option("--lead", help="乡镇(街道)分管领导 / township lead")] = False,
    provider: Annotated[str | None, typer.Option("--provider", help="机构统一社会信用代码 / credit code")] = None,
) -> None:
    """新建用户 / create a user (idempotent: the same user again is left unchanged)."""

    async def provider_id(a: Admin) -> UUID | None:
        return await _provider_by_credit(a, county, provider)

    pid = run(provider_id)
    create(county, form(UserIn, username=username, full_name=name, role=role, jurisdiction=jurisdiction, lead=lead,
                        provider_id=pid, password=password))


@app.command("deactivate")
def deactivate(
    username: Annotated[str, typer.Argument(help="登录名 / login name")],
    reason: Annotated[str, typer.Option("--reason", help="停用原因 / why")],
) -> None:
    """停用用户：收回登录，其在办案件退回乡镇(街道)待办队列 / deactivate: revoke tokens, hand back open cases."""

    async def work(a: Admin) -> None:
        row = await _find(a, username)
        actor = admin_actor(row.jurisdiction[:6])
        async with a.sessions() as session:
            await accounts.set_active(session, actor, row.id, False, reason)
        released = await release_cases(await a.resources(), actor, row.id)
        pending = [r for r in released if not r.ok]
        done(f"已停用 {username}，{len(released) - len(pending)} 件在办案件已退回乡镇(街道)待办队列",
             f"deactivated {username}; {len(released) - len(pending)} open cases handed back to the township queue")
        if pending:
            fail(f"{len(pending)} 件案件暂未退回（{pending[0].message}），请稍后再次执行本命令",
                 f"{len(pending)} cases not handed back yet; run this command again", "release_pending")

    run(work)


@app.command("reactivate")
def reactivate(
    username: Annotated[str, typer.Argument(help="登录名 / login name")],
    reason: Annotated[str, typer.Option("--reason", help="原因 / why")],
) -> None:
    """重新启用用户 / reactivate a user."""

    async def work(a: Admin) -> None:
        row = await _find(a, username)
        async with a.sessions() as session:
            await accounts.set_active(session, admin_actor(row.jurisdiction[:6]), row.id, True, reason)
        done(f"已启用 {username}", f"reactivated {username}")

    run(work)


@app.command("reset-password")
def reset_password(username: Annotated[str, typer.Argument(help="登录名 / login name")], password: PasswordOpt) -> None:
    """重置密码，此前的登录全部失效 / set a new password; earlier tokens stop working."""

    async def work(a: Admin) -> None:
        row = await _find(a, username)
        async with a.sessions() as session:
            await accounts.reset_password(session, admin_actor(row.jurisdiction[:6]), row.id, password)
        done(f"已重置 {username} 的密码", f"password of {username} reset")

    run(work)


@app.command("list")
def list_users(county: County) -> None:
    """列出本县用户 / list the county's users."""

    async def work(a: Admin) -> None:
        async with a.sessions() as session:
            rows = (await session.execute(select(USERS).where(USERS.c.jurisdiction.startswith(county))
                                          .order_by(USERS.c.jurisdiction, USERS.c.username))).all()
        for r in rows:
            state = "在岗 active" if r.active else "已停用 inactive"
            typer.echo(f"{r.username:<20} {r.role:<18} {r.jurisdiction:<12} {'lead ' if r.is_lead else ''}{state}")

    run(work)
