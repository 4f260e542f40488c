"""assistflow's walk and the SpiffWorkflow peer's, back to back on the same PostgreSQL, with the honest floor.

    .venv/bin/python -m bench.compare                       # N=100 cases at C=1 and at C=8
    .venv/bin/python -m bench.compare --quick               # N=4, no SQL table statistics: a smoke run
    .venv/bin/python -m bench.compare --open-cases 10000    # then memory with 10,000 open cases cached
    .venv/bin/python -m bench.compare --profile             # then py-spy on the API, worker and peer
    .venv/bin/python -m bench.compare --json bench/results/compare.json

The deployment shape (bench.stack.deployment): the API under uvicorn, the case worker (`worker.main()`), the
bare worker and the peer under uvicorn are processes of their own; this process only generates load, over
HTTP with the same bearer tokens and bodies (tests/flow.py) for both services. For each C: the floor (a bare
update, the same with a no-op local activity, and each step's own SQL sent bare), then N cases walked on
assistflow (open + 7 steps = 8 requests), then N on the peer. Timings are printed against the goals of issue
#12, never asserted: exit 0 when the run itself worked.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import uuid
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from temporalio.api.enums.v1 import EventType

from bench import floor_sql
from bench.bare import BareWorkflow, LocalBareWorkflow
from bench.compare_report import figures, render
from bench.meter import cpu_by_process, rss_mb
from bench.profile import BUCKETS, record, summarise
from bench.stack import Deployment, deployment
from bench.walk import OPEN, Meter, Phase, measured, people, run_and_exit, walk_cases
from tests.flow import Api
from vocabulary.china import CHINA
from workflows.visibility import case_workflow_id

REQUESTS_PER_CASE = 8  # open + 7 steps; a floor case gets as many updates
RESULTS = Path(__file__).with_name("results")


def progress(what: str) -> None:
    """A line on stderr per phase, so a long run shows where it is (the figures go to stdout at the end)."""
    print(f"bench.compare {datetime.now():%H:%M:%S} {what}", file=sys.stderr, flush=True)


def meter_of(d: Deployment) -> Meter:
    trees = {name: d.pids[name] for name in ("api", "worker", "bare worker", "peer", "temporal")}
    return lambda: cpu_by_process(trees | {"postgres": d.postmaster}, {"load client": os.getpid()})


async def bare_updates(d: Deployment, meter: Meter, n: int, c: int, workflow: type[BareWorkflow]) -> Phase:
    phase, label = Phase(cases=n), "update"

    async def one(i: int) -> None:
        handle = await d.client.start_workflow(workflow.run, id=f"bare-{uuid.uuid4()}", task_queue=d.bare_queue)
        for _ in range(REQUESTS_PER_CASE):
            started = asyncio.get_running_loop().time()
            await handle.execute_update(workflow.bump)
            phase.samples.setdefault(label, []).append((asyncio.get_running_loop().time() - started) * 1000)
        await handle.signal(workflow.done)

    return await measured(meter, phase, n, c, one)


async def bare_sql(pool: asyncpg.Pool, meter: Meter, n: int, c: int) -> Phase:
    phase = Phase(cases=n)

    async def one(i: int) -> None:
        case = floor_sql.Case()
        for label, statements in ((OPEN, floor_sql.open_case), *floor_sql.STEPS):
            started = asyncio.get_running_loop().time()
            await floor_sql.run_step(pool, case, statements)
            phase.samples.setdefault(label, []).append((asyncio.get_running_loop().time() - started) * 1000)

    return await measured(meter, phase, n, c, one)


async def open_only(api: Api, meter: Meter, n: int, c: int) -> Phase:
    """n cases opened and left waiting in registration (the memory phase)."""
    phase, persons = Phase(cases=n), people(n)

    async def one(i: int) -> None:
        body = {"channel": "window", "need_description": "独居老人，行动不便，需要上门助洁与探访",
                "person": persons[i]}
        r = await api.post("/cases", "jiedao", body)
        if r.status_code != 201:
            raise RuntimeError(f"POST /cases: {r.status_code} {r.text}")

    return await measured(meter, phase, n, c, one)


async def sizes(pool: asyncpg.Pool) -> dict[str, int]:
    """Bytes on disk (heap, TOAST, indexes) of assistflow's tables and of the peer's."""
    rows = await pool.fetch("SELECT relname, pg_total_relation_size(relid) AS bytes FROM pg_stat_user_tables")
    peer = sum(r["bytes"] for r in rows if r["relname"].startswith("peer_"))
    return {"assistflow": sum(r["bytes"] for r in rows) - peer, "peer": peer}


async def table_stats(pool: asyncpg.Pool) -> dict[str, dict[str, int]]:
    """Per table: index + sequential scans, rows inserted, rows updated (cumulative)."""
    rows = await pool.fetch("""SELECT relname, coalesce(idx_scan, 0) + coalesce(seq_scan, 0) AS reads,
        n_tup_ins AS inserted, n_tup_upd AS updated FROM pg_stat_user_tables""")
    return {r["relname"]: {"reads": r["reads"], "inserted": r["inserted"], "updated": r["updated"]} for r in rows}


async def flushed_stats(pool: asyncpg.Pool) -> dict[str, dict[str, int]]:
    # A backend publishes its table counters at most once a second and, once idle, within ~10 s.
    await asyncio.sleep(11)
    return await table_stats(pool)


def stats_delta(after: dict[str, dict[str, int]], before: dict[str, dict[str, int]], n: int
                ) -> dict[str, dict[str, float]]:
    out = {}
    for table, counts in after.items():
        d = {k: (v - before.get(table, {}).get(k, 0)) / n for k, v in counts.items()}
        if any(d.values()):
            out[table] = d
    return out


async def histories(d: Deployment, cases: list[str]) -> dict[str, Any]:
    """History events and bytes per case, and the events by type, over the walked cases."""
    types: Counter[str] = Counter()
    events = size = 0
    for case in cases:
        history = await d.client.get_workflow_handle(case_workflow_id(uuid.UUID(case))).fetch_history()
        events += len(history.events)
        size += sum(e.ByteSize() for e in history.events)
        types.update(EventType.Name(e.event_type).removeprefix("EVENT_TYPE_") for e in history.events)
    n = max(len(cases), 1)
    return {"cases": len(cases), "events_per_case": events / n, "bytes_per_case": size / n,
            "types_per_case": {k: v / n for k, v in types.most_common()}}


def rss(d: Deployment) -> dict[str, float]:
    return {name: rss_mb(d.pids[name]) for name in ("api", "worker", "temporal", "peer")}


async def at_concurrency(d: Deployment, apis: dict[str, Api], pool: asyncpg.Pool, meter: Meter, n: int, c: int,
                         stats: bool) -> dict[str, Any]:
    progress(f"C={c}: the floors")
    out: dict[str, Any] = {"bare": await bare_updates(d, meter, n, c, BareWorkflow),
                           "bare_la": await bare_updates(d, meter, n, c, LocalBareWorkflow),
                           "bare_sql": await bare_sql(pool, meter, n, c)}
    progress(f"C={c}: {n} cases on assistflow, then on the peer")
    before, walked = (await flushed_stats(pool) if stats else {}), list[str]()
    s0 = await sizes(pool)
    out["assistflow"] = await walk_cases(apis["assistflow"], meter, n, c, walked)
    s1 = await sizes(pool)
    middle = await flushed_stats(pool) if stats else {}
    out["peer"] = await walk_cases(apis["peer"], meter, n, c)
    s2 = await sizes(pool)
    after = await flushed_stats(pool) if stats else {}
    out["stored_bytes_per_case"] = {"assistflow": (s1["assistflow"] - s0["assistflow"]) / n,
                                    "peer": (s2["peer"] - s1["peer"]) / n}
    if stats:
        out["sql_per_case"] = {"assistflow": stats_delta(middle, before, n), "peer": stats_delta(after, middle, n)}
    out["history"] = await histories(d, walked[:50])
    out["rss_mb"] = rss(d)
    return out


async def run(args: argparse.Namespace) -> dict[str, Any]:
    task = asyncio.current_task()
    if task is not None:  # SIGTERM cleans up like Ctrl-C does
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
    cmax = max(args.concurrency)
    walked = args.warmup + args.cases * len(args.concurrency) + (args.cases if args.profile else 0)
    max_cached = args.open_cases + walked + 100 if args.open_cases > 1000 - walked else None
    async with deployment(max_cached) as d:
        meter = meter_of(d)
        limits = httpx.Limits(max_connections=cmax, max_keepalive_connections=cmax)
        today = datetime.now(CHINA).date()
        async with httpx.AsyncClient(base_url=d.api, limits=limits, timeout=60.0, trust_env=False) as h1, \
                httpx.AsyncClient(base_url=d.peer, limits=limits, timeout=60.0, trust_env=False) as h2:
            apis = {"assistflow": Api(h1, d.settings, d.client, today), "peer": Api(h2, d.settings, d.client, today)}
            pool = await asyncpg.create_pool(floor_sql.asyncpg_dsn(d.settings.database_url), min_size=1,
                                             max_size=cmax)
            try:
                progress(f"started ({', '.join(f'{k} {v}' for k, v in d.pids.items())}); warming up")
                if args.warmup:
                    for api in apis.values():
                        await walk_cases(api, meter, args.warmup, cmax)
                    for wf in (BareWorkflow, LocalBareWorkflow):
                        await bare_updates(d, meter, args.warmup, cmax, wf)
                    await bare_sql(pool, meter, args.warmup, cmax)
                runs = {c: await at_concurrency(d, apis, pool, meter, args.cases, c, not args.quick)
                        for c in args.concurrency}
                extra: dict[str, Any] = {}
                if args.open_cases:
                    progress(f"memory: {args.open_cases} open cases on each side")
                    extra["memory"] = {side: (await open_only(api, meter, args.open_cases, cmax)).seconds
                                       for side, api in apis.items()} | {"rss_mb": rss(d), "cases": args.open_cases}
                if args.profile:
                    progress(f"profile: {args.cases} cases on each side under py-spy")
                    procs = {name: d.pids[name] for name in ("api", "worker", "peer")}
                    async with record(procs, args.results) as raws:
                        for api in apis.values():
                            await walk_cases(api, meter, args.cases, cmax)
                    extra["profile"] = {name: summarise(raw, BUCKETS[name]) for name, raw in raws.items()}
            finally:
                await pool.close()
        return figures(args, runs, extra, d.meta)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.compare", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cases", type=int, default=None, help="N: cases walked on each side at each C (100)")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8], help="C values (1 8)")
    parser.add_argument("--warmup", type=int, default=None, help="cases walked on each side first (8)")
    parser.add_argument("--open-cases", type=int, default=0, help="then open this many cases on each side and "
                        "measure the servers' memory (10000 for the issue's goal)")
    parser.add_argument("--profile", action="store_true", help="then walk N more at the largest C under py-spy")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where the profiles go (bench/results)")
    parser.add_argument("--json", type=Path, default=None, metavar="PATH", help="also write the figures here")
    parser.add_argument("--quick", action="store_true", help="N=4, warm-up 2, no SQL table statistics")
    args = parser.parse_args(argv)
    args.cases = args.cases if args.cases is not None else (4 if args.quick else 100)
    args.warmup = args.warmup if args.warmup is not None else (2 if args.quick else 8)
    if args.cases < 1 or min(args.concurrency) < 1 or args.warmup < 0 or args.open_cases < 0:
        parser.error("--cases and --concurrency must be at least 1, --warmup and --open-cases at least 0")
    run_and_exit(lambda: run(args), render, args.json)

if __name__ == "__main__":
    main()
