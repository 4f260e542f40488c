"""Bench: the supervisor's stuck view over a projection of 1M cases.

    .venv/bin/python -m bench.stuck --cases 1000000 --requests 300

Fills the case projection set-based in SQL with a realistic mix (4 counties of 池州, 15 townships each,
12 villages per township; 70% open; steps, assignees and due dates spread around today), then times
GET /supervision/stuck through the real API (in-process ASGI, real PostgreSQL) for a county officer and a
township worker, and the same two statements (page + capped count) sent raw through asyncpg, interleaved in
the same run. Prints p50/p99 of each and the ratio. Goals: p99 <= 50 ms and <= 1.5x the bare SQL. Never
asserts on time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, cast

import asyncpg
import httpx
from sqlalchemy import func, select, text
from sqlalchemy.dialects import postgresql
from temporalio.client import Client

from activities.documents.store import DocumentStore
from api.deps import Resources
from api.main import create_app
from api.supervision_query import (
    COUNT_CAP,
    Reason,
    StuckFilter,
    conditions,
    stuck_select,
)
from bench.stack import database
from devstack.seed import seed_demo, user_id
from infra.db import make_engine, make_sessions
from infra.security import issue_token
from models.payloads.actor import Actor
from models.settings import Settings
from models.tables import CASES
from policy.workdays import calendar
from vocabulary.case import Role
from vocabulary.china import CHINA

_FILL = """
INSERT INTO persons (id, id_hash, id_cipher, name, gender, birth_date, village_code, category, conditions,
                     created_at, updated_at)
SELECT md5('p' || i)::uuid, md5('p' || i) || md5('q' || i), '\\x00'::bytea, '服务对象' || i, 'female',
       date '1940-01-01' + (i % 15000)::int, v.code, 'tekun', '[]'::jsonb, now(), now()
FROM generate_series(CAST(:lo AS bigint), CAST(:hi AS bigint)) i
CROSS JOIN LATERAL (SELECT (array['341702','341702','341702','341702','341721','341722','341723'])[1 + i % 7]
    || lpad((1 + (i / 7) % 15)::text, 3, '0') || lpad((1 + (i / 105) % 12)::text, 3, '0') AS code) v;

INSERT INTO cases (id, person_id, channel, step, status, holder_role, assignee_id, county_code, township_code,
                   village_code, seq, due_on, due_provisional, deadline_seq, extended, awaiting_applicant,
                   opened_at, updated_at)
SELECT md5('c' || i)::uuid, p.id, 'window',
       (array['registration','survey','review','referral','service','archiving','dynamic_management'])[1 + i % 7],
       CASE WHEN i % 10 < 7 THEN 'open' ELSE 'closed' END,
       (array['township_worker','village_assistant','township_worker','township_worker','provider','provider',
              'township_worker'])[1 + i % 7],
       CASE WHEN i % 3 = 0 THEN md5('u' || (i % 40))::uuid END,
       substr(p.village_code, 1, 6), substr(p.village_code, 1, 9), p.village_code, 3,
       CASE WHEN i % 7 < 6 THEN current_date + ((i * 7919) % 61 - 40)::int END, false, 3, false, false,
       now() - ((i % 90) || ' days')::interval, now() - ((i * 31 % 60) || ' days')::interval
FROM generate_series(CAST(:lo AS bigint), CAST(:hi AS bigint)) i JOIN persons p ON p.id = md5('p' || i)::uuid;
"""


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]


async def fill(url: str, n: int) -> float:
    engine = make_engine(url, pool_size=1)
    started = time.perf_counter()
    chunk = 100_000
    for lo in range(1, n + 1, chunk):
        async with engine.begin() as conn:
            for statement in filter(str.strip, _FILL.split(";")):
                await conn.execute(text(statement), {"lo": lo, "hi": min(n, lo + chunk - 1)})
        print(f"  filled {min(n, lo + chunk - 1):>9,} cases", flush=True)
    async with engine.connect() as conn:
        # Steady state, as autovacuum keeps a live database: statistics and the visibility map that lets the
        # capped count read the index only.
        await (await conn.execution_options(isolation_level="AUTOCOMMIT")).execute(text("VACUUM ANALYZE"))
    await engine.dispose()
    return time.perf_counter() - started


def bare_statements(actor: Actor, f: StuckFilter) -> tuple[str, str]:
    """The view's two statements with literal parameters, for sending raw."""
    cal, today = calendar(), datetime.now(CHINA).date()
    page = stuck_select(actor, f, cal, today, 50, None)
    count = select(func.count()).select_from(
        select(CASES.c.id).where(*conditions(actor, f, cal, today)).limit(COUNT_CAP + 1).subquery())
    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]

    def sql(statement: Any) -> str:
        return str(statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))

    return sql(page), sql(count)


async def timed(call: Callable[[], Awaitable[Any]]) -> float:
    started = time.perf_counter()
    await call()
    return (time.perf_counter() - started) * 1000


async def measure(url: str, requests: int) -> dict[str, Any]:
    settings = Settings(database_url=url)
    engine = make_engine(url)
    sessions = make_sessions(engine)
    await seed_demo(sessions, settings)
    app = create_app(settings)
    # The stuck view never calls Temporal; the bench runs without a server.
    app.state.resources = Resources(settings=settings, sessions=sessions, temporal=cast(Client, None),
                                    documents=DocumentStore.from_settings(settings, sessions))
    raw = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
    out: dict[str, Any] = {}
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as http:
            for who, role, jurisdiction in (("county officer", Role.COUNTY_OFFICER, "341702"),
                                            ("township worker", Role.TOWNSHIP_WORKER, "341702001")):
                actor = Actor(user_id=user_id("bench"), role=role, jurisdiction=jurisdiction)
                headers = {"Authorization": f"Bearer {issue_token(actor, settings.token_secret, 3600)}"}
                page_sql, count_sql = bare_statements(actor, StuckFilter(Reason.OVERDUE, 3))

                async def via_api(headers: dict[str, str] = headers) -> None:
                    r = await http.get("/supervision/stuck", params={"reason": "overdue"}, headers=headers)
                    assert r.status_code == 200, r.text

                async def bare(page_sql: str = page_sql, count_sql: str = count_sql) -> None:
                    await raw.fetch(page_sql)
                    await raw.fetchval(count_sql)

                for _ in range(20):  # warm caches and pools
                    await via_api()
                    await bare()
                api_ms, bare_ms = [], []
                for _ in range(requests):
                    api_ms.append(await timed(via_api))
                    bare_ms.append(await timed(bare))
                out[who] = {"api_p50_ms": pct(api_ms, 50), "api_p99_ms": pct(api_ms, 99),
                            "bare_p50_ms": pct(bare_ms, 50), "bare_p99_ms": pct(bare_ms, 99)}
                out[who]["p99_ratio"] = out[who]["api_p99_ms"] / out[who]["bare_p99_ms"]
    finally:
        await raw.close()
        await engine.dispose()
    return out


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--json", type=str, default=None)
    parser.add_argument("--quick", action="store_true", help="10,000 cases, 30 requests: a smoke run")
    args = parser.parse_args()
    if args.quick:
        args.cases, args.requests = min(args.cases, 10_000), min(args.requests, 30)
    with database() as (url, _):
        print(f"filling the projection with {args.cases:,} cases ...", flush=True)
        seconds = await fill(url, args.cases)
        print(f"filled in {seconds:.1f} s")
        figures = await measure(url, args.requests)
    print(f"\nstuck view (overdue, first page of 50, count capped at {COUNT_CAP:,}), {args.requests} requests each")
    print(f"{'user':<16}{'API p50':>10}{'API p99':>10}{'bare p50':>10}{'bare p99':>10}{'p99 ratio':>11}  goals")
    for who, f in figures.items():
        met = "met" if f["api_p99_ms"] <= 50 and f["p99_ratio"] <= 1.5 else "NOT met"
        print(f"{who:<16}{f['api_p50_ms']:>9.1f} {f['api_p99_ms']:>9.1f} {f['bare_p50_ms']:>9.1f} "
              f"{f['bare_p99_ms']:>9.1f} {f['p99_ratio']:>10.2f}x  p99<=50ms & <=1.5x: {met}")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"cases": args.cases, "requests": args.requests, "fill_seconds": seconds, **figures}, fh,
                      indent=2)


if __name__ == "__main__":
    asyncio.run(main())
