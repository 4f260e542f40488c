"""`assistflow migrate|divisions|calendar|settlement|health`: the database schema, the division hierarchy, a
year's holiday schedule, the monthly settlement, and whether the service is ready."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Annotated

import typer
from temporalio.api.enums.v1 import TaskQueueType

from admin.context import Admin, admin_actor, done, fail, form, run
from api.accounts.divisions import import_rows, parse_rows, shipped_rows
from api.health import pollers, readiness
from api.routes import calendar as calendar_routes
from api.routes.calendar import CalendarIn
from api.routes.settlement import runs
from infra.migrate import upgrade
from models.settings import Settings
from models.settlement.schemas import BackfillIn, RunIn

County = Annotated[str, typer.Option("--county", help="县级区划代码(6位) / county code")]
divisions = typer.Typer(help="统计用区划代码 / division codes", no_args_is_help=True)
calendar = typer.Typer(help="节假日安排 / holiday schedule", no_args_is_help=True)
settlement = typer.Typer(help="月度结算 / monthly settlement", no_args_is_help=True)


def migrate() -> None:
    """建库并升级到最新结构（可重复执行） / create the database if needed and apply every migration."""
    upgrade(Settings().database_url)
    done("数据库已是最新结构", "database migrated to the newest schema")


@divisions.command("load")
def load_shipped(county: Annotated[str, typer.Argument(help="县级区划代码 / county code, e.g. 341702")]) -> None:
    """载入内置的本县区划代码（省、市、县、乡镇街道） / load the shipped codes of a county."""

    async def work(a: Admin) -> None:
        async with a.sessions() as session:
            result = await import_rows(session, county, shipped_rows(county), source="stats")
            await session.commit()
        done(f"已载入：新增 {result.added}，更名 {result.updated}，未变 {result.unchanged}",
             f"loaded: {result.added} added, {result.updated} renamed, {result.unchanged} unchanged")

    run(work)


@divisions.command("import")
def import_file(
    path: Annotated[Path, typer.Argument(help="CSV 或 XLSX：区划代码,名称 / code,name", exists=True, dir_okay=False)],
    county: County,
) -> None:
    """导入本县村(社区)等区划代码（上级须已登记或在同一文件中） / import a county's codes (villages)."""

    async def work(a: Admin) -> None:
        rows = parse_rows(path.read_bytes(), path.name)
        async with a.sessions() as session:
            result = await import_rows(session, county, rows, source="import")
            await session.commit()
        done(f"已导入：新增 {result.added}，更名 {result.updated}，未变 {result.unchanged}",
             f"imported: {result.added} added, {result.updated} renamed, {result.unchanged} unchanged")

    run(work)


@calendar.command("load")
def load_calendar(
    year: Annotated[int, typer.Argument(help="年份 / year")],
    path: Annotated[Path, typer.Argument(help='JSON：{"notice": …, "holidays": [...], "workdays": [...]}',
                                         exists=True, dir_okay=False)],
    county: County,
) -> None:
    """录入某年节假日安排（同 PUT /calendar/{year}），并重算暂按工作日计算的时限 / load a year's schedule."""
    body = form(CalendarIn, **json.loads(path.read_text(encoding="utf-8")))

    async def work(a: Admin) -> None:
        async with a.sessions() as session:
            out = await calendar_routes.load_calendar(year, body, admin_actor(county), session, await a.resources())
        done(f"已录入{year}年节假日安排：放假 {len(out.holidays)} 天，调休上班 {len(out.workdays)} 天；"
             f"暂算时限重算中（{out.recompute_workflow_id}）",
             f"{year} loaded; provisional deadlines being recomputed by {out.recompute_workflow_id}")

    run(work)


@settlement.command("run")
def run_period(period: Annotated[str, typer.Argument(help="YYYY-MM")], county: County) -> None:
    """(重新)结算本县某月 / (re-)run the settlement of a month for the county."""
    body = form(RunIn, period=period)

    async def work(a: Admin) -> None:
        started = await runs.start_run(body, admin_actor(county), await a.resources())
        done(f"已发起{period}结算（{started.workflow_id}）", f"settlement of {period} started: {started.workflow_id}")

    run(work)


@settlement.command("backfill")
def backfill(first: Annotated[str, typer.Argument(help="YYYY-MM")],
             last: Annotated[str, typer.Argument(help="YYYY-MM")], county: County) -> None:
    """按结算计划补跑错过的月份 / backfill missed months through the schedule."""
    body = form(BackfillIn, first=first, last=last)

    async def work(a: Admin) -> None:
        started = await runs.backfill_runs(body, admin_actor(county), await a.resources())
        done(f"已补跑：{'、'.join(started.periods or [])}", f"backfilled: {', '.join(started.periods or [])}")

    run(work)


def health(
    worker_here: Annotated[bool, typer.Option("--worker-here", help="仅检查本机的工作进程在轮询 / this host's "
                                              "worker is polling (a container healthcheck)")] = False,
) -> None:
    """检查数据库、Temporal 与工作进程是否可用 / is the service ready?"""

    async def work(a: Admin) -> None:
        s = a.settings
        if worker_here:
            host = socket.gethostname()
            ids = await pollers(await a.temporal(), s.task_queue, TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
                                s.worker_poll_seconds)
            if not any(i.endswith(f"@{host}") for i in ids):
                fail(f"本机({host})的工作进程未在轮询 {s.task_queue}", f"no worker on {host} polling", "not_polling")
            done("本机工作进程正常", f"worker on {host} is polling {s.task_queue}")
            return
        found = await readiness(a.sessions, await a.temporal(), s.task_queue, s.worker_poll_seconds)
        for name, state in found.checks.items():
            typer.echo(f"{name:<9} {state}")
        if not found.ok:
            fail("服务未就绪", "not ready", "not_ready")

    run(work)
