"""Oversight at county scale: the spot-check draw over one county-year of service records, and the long-term
notice of a township with thousands of recipients.

    .venv/bin/python -m bench.oversight [--records 1000000] [--recipients 2000] [--percent 30] [--json PATH]

Self-contained on real parts: a fresh database on the PostgreSQL at DATABASE_URL (dropped at the end) or an
embedded pgserver, migrated; a county of 10 townships x 3 providers (30 strata), a register of 12 inspectors,
and `--records` service records spread over 2026, generated set-based in SQL. Then, in the same run:

- bare SQL: one statement selecting the same share of the county's records of the year in a seeded order
  (the same join, filter and md5 order key as the draw; no strata, no inspectors, nothing written) — the floor;
- the draw: `activities.oversight.sampling.draw` in its own transaction, committed: strata counted with the
  population digest, quotas, inspectors drawn with recusal, every drawn record written to `spot_checks`;
- the notice: `--recipients` in-service cases in one township (10 villages), published for the whole township
  (`activities.oversight.notices.publish`): every village's lines through the privacy filter, its PDF and XLSX
  rendered and kept in the document store (a filesystem store in a temporary folder), as a township worker's
  `POST /notices/publications` does.

Goals (printed, never asserted): draw <= 3x the bare SQL and <= 2 s; the township's notice <= 5 s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text

from activities.documents.store import DocumentStore
from activities.oversight.notices import publish
from activities.oversight.sampling import draw, year_bounds
from bench.settlement import database
from infra.db import make_engine, make_sessions
from models.payloads.actor import Actor
from models.settings import Settings
from policy.oversight import DEFAULT_SETTINGS, share_of
from tests.world import add_cases, make_world
from vocabulary.case import Role
from vocabulary.oversight import DrawKind

YEAR = 2025  # wholly in the past, so every record of the year counts (recorded by now)
GOAL_DRAW_SECONDS, GOAL_RATIO, GOAL_NOTICE_SECONDS = 2.0, 3.0, 5.0
SEED = "bench-2026"

_RECORDS = """
INSERT INTO service_records (id, case_id, provider_id, item_code, started_at, minutes, quantity, worker_name, content,
                             confirmed_by, confirmed_at, recorded_by, recorded_at)
SELECT gen_random_uuid(), c.id, c.provider_id, CASE WHEN g % 2 = 0 THEN 'cleaning_aid' ELSE 'visit' END, t, 60, 1,
       '社工', '上门服务', 'recipient', t + interval '1 day', c.provider_id, t
FROM cases c
CROSS JOIN generate_series(1, :per_case) AS g
CROSS JOIN LATERAL (SELECT make_timestamptz(2025, 1, 1, 8, 0, 0, 'Asia/Shanghai')
                           + make_interval(days => (g * 359 / :per_case)::int, hours => g % 9) AS t) s
WHERE c.county_code = :county
"""
BARE = """
SELECT count(*) FROM (
    SELECT r.id FROM service_records r JOIN cases c ON c.id = r.case_id
    WHERE c.county_code = :county AND r.started_at >= :start AND r.started_at < :end
    ORDER BY md5(:seed || ':' || r.id::text) LIMIT :n
) s
"""


async def _county(sessions: Any, records: int) -> tuple[Any, list[str]]:
    """A world widened to 10 townships (one village each) and 3 providers, cases spread over the 30 strata."""
    world = await make_world(sessions)
    townships = [f"{world.county}{i:03d}" for i in range(1, 11)]
    providers = [world.provider_a, world.provider_b, uuid.uuid4()]
    per_case = 100
    cases = max(1, records // per_case)
    async with sessions.begin() as s:
        for code in townships:
            for level, c, parent in (("township", code, world.county), ("village", f"{code}001", code)):
                await s.execute(text("INSERT INTO divisions VALUES (:c, :n, :l, :p) ON CONFLICT DO NOTHING"),
                                {"c": c, "n": f"{c[-6:]}{'街道' if level == 'township' else '社区'}", "l": level,
                                 "p": parent})
        await s.execute(text("INSERT INTO providers (id, code, name, kind, county_code, last_service_no, active) "
                             "VALUES (:i, :c, '第三服务中心', '社会组织', :county, 0, true)"),
                        {"i": providers[2], "c": f"X{world.county}", "county": world.county})
        for i, township in enumerate(townships):
            for j, provider in enumerate(providers):
                n = cases // 30 + (1 if i * 3 + j < cases % 30 else 0)
                await add_cases(s, world, n, village=f"{township}001", provider=provider)
        await s.execute(text(_RECORDS), {"county": world.county, "per_case": per_case})
        for k in range(12):  # 10 township workers (one per township), one provider's staff, one county officer
            await s.execute(text("INSERT INTO inspectors (id, county_code, name, township_code, provider_id, active, "
                                 "created_at) VALUES (:i, :c, :n, :t, :p, true, now())"),
                            {"i": uuid.uuid4(), "c": world.county, "n": f"检查员{k}",
                             "t": townships[k] if k < 10 else None, "p": providers[0] if k == 10 else None})
    return world, townships


async def _notice(sessions: Any, world: Any, recipients: int, url: str) -> dict[str, Any]:
    township = f"{world.county}011"  # a township of its own: only these recipients
    villages = [f"{township}{v:03d}" for v in range(1, 11)]
    async with sessions.begin() as s:
        await s.execute(text("INSERT INTO divisions VALUES (:c, '公示街道', 'township', :p) ON CONFLICT DO NOTHING"),
                        {"c": township, "p": world.county})
        for v in villages:
            await s.execute(text("INSERT INTO divisions VALUES (:c, :n, 'village', :p) ON CONFLICT DO NOTHING"),
                            {"c": v, "n": f"{v[-3:]}社区", "p": township})
        for v in villages:
            await add_cases(s, world, recipients // len(villages), village=v)
    actor = Actor(user_id=uuid.uuid4(), role=Role.TOWNSHIP_WORKER, jurisdiction=township)
    with tempfile.TemporaryDirectory(prefix="assistflow-bench-docs-") as folder:
        settings = Settings().model_copy(update={"database_url": url, "documents_dir": Path(folder)})
        store = DocumentStore.from_settings(settings, sessions)
        await store.objects.prepare()
        t0 = time.perf_counter()
        async with sessions.begin() as s:
            done = await publish(s, actor, villages, date(2026, 11, 20), datetime.now(UTC), store)
        seconds = time.perf_counter() - t0
        await store.close()
    async with sessions() as s:
        size = (await s.execute(text("SELECT sum(size) FROM documents WHERE business_key LIKE 'notice:%'"))).scalar()
    return {"notice_seconds": round(seconds, 3), "notice_lines": sum(len(p.entries) for p in done),
            "notice_villages": len(done), "notice_bytes": int(size or 0)}


async def run(records: int, recipients: int, percent: int) -> dict[str, Any]:
    out: dict[str, Any] = {"records": records, "percent": percent, "recipients": recipients}
    with database() as url:
        out["database"] = "DATABASE_URL" if os.environ.get("DATABASE_URL") else "embedded pgserver"
        engine = make_engine(url)
        sessions = make_sessions(engine)
        t0 = time.perf_counter()
        world, _ = await _county(sessions, records)
        out["generate_seconds"] = round(time.perf_counter() - t0, 1)
        async with engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text("VACUUM ANALYZE"))
        start, end = year_bounds(YEAR)
        async with sessions() as s:
            population = (await s.execute(text("SELECT count(*) FROM service_records r JOIN cases c "
                                               "ON c.id = r.case_id WHERE c.county_code = :c"),
                                          {"c": world.county})).scalar_one()
        out["population"] = population
        n = share_of(population, percent)
        bare = []
        for _ in range(2):  # the first warms the cache for both
            async with sessions() as s:
                await s.execute(text("SET work_mem = '256MB'"))
                t0 = time.perf_counter()
                got = (await s.execute(text(BARE), {"county": world.county, "start": start, "end": end,
                                                    "seed": SEED, "n": n})).scalar_one()
                bare.append(time.perf_counter() - t0)
        out["bare_seconds"], out["bare_rows"] = round(min(bare), 3), got
        t0 = time.perf_counter()
        async with sessions.begin() as s:
            drawn = await draw(s, uuid.uuid4(), world.county, YEAR, DrawKind.REGULAR, percent, SEED,
                               datetime.now(UTC), dict(DEFAULT_SETTINGS))
        out["draw_seconds"] = round(time.perf_counter() - t0, 3)
        out["sampled"] = drawn.sampled
        out["ratio"] = round(out["draw_seconds"] / out["bare_seconds"], 2)
        out |= await _notice(sessions, world, recipients, url)
        await engine.dispose()
    return out


def report(r: dict[str, Any]) -> None:
    print(f"oversight bench: {r['population']:,} service records of one county-year, 30 strata "
          f"({r['database']}; data generated in {r['generate_seconds']} s)")
    met = r["draw_seconds"] <= GOAL_DRAW_SECONDS
    print(f"  spot-check draw of {r['percent']}% ({r['sampled']:,} records, inspectors assigned): "
          f"{r['draw_seconds']:.3f} s   goal <= {GOAL_DRAW_SECONDS:.0f} s: {'met' if met else 'NOT met'}")
    print(f"  bare SQL selecting the same share ({r['bare_rows']:,}): {r['bare_seconds']:.3f} s")
    print(f"  ratio draw / bare: {r['ratio']:.2f} x   goal <= {GOAL_RATIO:.0f}x: "
          f"{'met' if r['ratio'] <= GOAL_RATIO else 'NOT met'}")
    met = r["notice_seconds"] <= GOAL_NOTICE_SECONDS
    print(f"  township notice: {r['notice_lines']:,} recipients in {r['notice_villages']} villages published, "
          f"every village's PDF and XLSX rendered and kept in the document store ({r['notice_bytes']:,} bytes): "
          f"{r['notice_seconds']:.3f} s   goal <= {GOAL_NOTICE_SECONDS:.0f} s: {'met' if met else 'NOT met'}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.oversight")
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--recipients", type=int, default=2000)
    parser.add_argument("--percent", type=int, default=30)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    result = asyncio.run(run(args.records, args.recipients, args.percent))
    report(result)
    if args.json is not None:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
