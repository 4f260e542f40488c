"""`assistflow providers …`: register (credit code validated, payee account), deactivate, list."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from sqlalchemy import select

from admin.context import Admin, admin_actor, done, fail, form, run
from api.accounts import providers as registry
from models.accounts import ProviderIn, ProviderKind
from models.tables import PROVIDERS

app = typer.Typer(help="服务供给主体：登记、停用、列表 / providers: register, deactivate, list", no_args_is_help=True)
County = Annotated[str, typer.Option("--county", help="县级区划代码(6位) / county code")]


@app.command("register")
def register(
    county: County,
    name: Annotated[str, typer.Option("--name", help="机构名称 / organisation name")],
    kind: Annotated[ProviderKind, typer.Option("--kind", help="类型 / kind")],
    credit_code: Annotated[str, typer.Option("--credit-code", help="统一社会信用代码 / unified social credit code")],
    account_no: Annotated[str | None, typer.Option("--account-no", help="收款账号 / payee account number")] = None,
    bank: Annotated[str | None, typer.Option("--bank", help="开户银行 / bank")] = None,
    account_name: Annotated[str | None, typer.Option("--account-name", help="户名（默认机构名称）")] = None,
    code: Annotated[str | None, typer.Option("--code", help="服务号前缀 / service-number prefix")] = None,
) -> None:
    """登记服务供给主体（同一信用代码重复执行不重复登记） / register a provider (idempotent on the credit code)."""
    if (account_no is None) != (bank is None):
        fail("收款账号与开户银行应同时填写", "give --account-no and --bank together", "invalid_input")
    account = None if account_no is None else {"account_name": account_name or name, "account_no": account_no,
                                               "bank_name": bank}
    body = form(ProviderIn, name=name, kind=kind, credit_code=credit_code, code=code, account=account)

    async def work(a: Admin) -> None:
        async with a.sessions() as session:
            provider, created = await registry.register_provider(session, admin_actor(county), body)
        if created:
            done(f"已登记 {provider.name}（{provider.kind}），id {provider.id}，服务号前缀 {provider.code}",
                 f"registered {provider.credit_code}, id {provider.id}")
        else:
            done(f"已登记过，未改动：{provider.name}，id {provider.id}",
                 f"already registered, unchanged: {provider.id}")

    run(work)


async def _by_credit(a: Admin, credit_code: str) -> Any:
    async with a.sessions() as session:
        row = (await session.execute(select(PROVIDERS).where(
            PROVIDERS.c.credit_code == credit_code.strip().upper()))).first()
    if row is None:
        fail("没有登记该统一社会信用代码的服务供给主体", "no provider with that credit code", "provider_not_found")
    return row


@app.command("deactivate")
def deactivate(
    credit_code: Annotated[str, typer.Argument(help="统一社会信用代码 / credit code")],
    reason: Annotated[str, typer.Option("--reason", help="停用原因 / why")],
) -> None:
    """停用服务供给主体：不再接受新的转介 / deactivate a provider: no new referrals."""

    async def work(a: Admin) -> None:
        row = await _by_credit(a, credit_code)
        async with a.sessions() as session:
            await registry.set_provider_active(session, admin_actor(row.county_code), row.id, False, reason)
        done(f"已停用 {row.name}，不再接受新的转介", f"deactivated {row.name}: no new referrals")

    run(work)


@app.command("list")
def list_providers(county: County) -> None:
    """列出本县服务供给主体（含已停用） / list the county's providers."""

    async def work(a: Admin) -> None:
        async with a.sessions() as session:
            rows = await registry.list_providers(session, county, include_inactive=True)
        for p in rows:
            typer.echo(f"{p.id}  {p.credit_code or '-':<18}  {'在册' if p.active else '已停用'}  {p.kind}  {p.name}")

    run(work)
