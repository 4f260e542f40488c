"""The monthly roster import at county scale: N rows (10% bad, 20% changes to people with open cases, the rest
new recipients) against a bare COPY of the same file into a staging table, in the same run.

    .venv/bin/python -m bench.roster [--rows 50000] [--json PATH]

Self-contained on real parts: a fresh database on the PostgreSQL at DATABASE_URL (dropped at the end) or an
embedded pgserver, migrated and seeded, with a county of its own whose open cases the changes name.

- import: `activities.dynamic.roster.run_import`, the whole work of the import activity — decrypt the upload,
  parse, validate every row (GB 11643, village, category, change type), hash and encrypt the ID numbers, and in
  chunks copy the good rows in and register people, record status events and fill the screening lists,
  committing progress after each chunk; then the error workbook. (Handing the events to the case workflows
  comes after, by signals, and is not timed here.)
- bare COPY: the same CSV bytes into a staging table of six text columns, nothing else — the floor.

Goal (printed, never asserted): import <= 5x the bare COPY. Exit 0 when the run worked.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import random
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import text

from activities.dynamic.roster import run_import, seal
from bench.settlement import database
from devstack.seed import demo_id_number, seed_demo
from infra.db import make_engine, make_sessions
from models.settings import Settings
from policy import idnumber
from tests.world import add_cases, make_world

GOAL_RATIO = 5.0
HEADER = "姓名,身份证号码,村(社区)代码,救助类别,变动类型,变动日期\n"


def numbers(region: str, n: int) -> list[str]:
    """n distinct synthetic ID numbers with correct check digits."""
    born, out = date(1940, 1, 1), []
    for i in range(n):
        day = born + timedelta(days=i // 900)
        out.append(demo_id_number(region=region, born=day.strftime("%Y%m%d"), serial=f"{i % 900 + 100:03d}"))
    return out


def roster(rows: int, served: list[str], villages: list[str], region: str) -> bytes:
    rng = random.Random(7)
    bad, changes = rows // 10, rows // 5
    fresh = numbers(region, rows + changes)[changes:]  # distinct from the served people's numbers
    lines = [HEADER]
    for i in range(rows):
        village = villages[i % len(villages)]
        if i < changes:
            number, kind, category = served[i % len(served)], rng.choice(("变更", "退出")), "低保对象"
        else:
            number, kind, category = fresh[i - changes], "新增", "特困人员"
        if rows - bad <= i:  # the last tenth: broken in one of four ways
            number, village, category, kind = [
                (number[:17] + ("0" if number[17] != "0" else "1"), village, category, kind),
                (number, "999999001001", category, kind), (number, village, "五保", kind),
                (number, village, category, "迁入")][i % 4]
        lines.append(f"服务对象{i},{number},{village},{category},{kind},2026-11-01\n")
    return "".join(lines).encode("utf-8-sig")


async def run(rows: int) -> dict[str, Any]:
    out: dict[str, Any] = {"rows": rows, "bad_rows_planned": rows // 10, "changes_planned": rows // 5}
    with database() as url:
        engine = make_engine(url)
        sessions = make_sessions(engine)
        settings = Settings().model_copy(update={"database_url": url})
        await seed_demo(sessions, settings)
        world = await make_world(sessions)
        served_numbers = numbers(world.county, rows // 5)
        async with sessions.begin() as s:
            cases = await add_cases(s, world, len(served_numbers))
            hashes = [idnumber.lookup_hash(n, settings.id_hash_key) for n in served_numbers]
            await s.execute(text("""
                UPDATE persons p SET id_hash = m.hash, name = '服务对象' || m.i
                FROM unnest(CAST(:cases AS uuid[]), CAST(:hashes AS text[])) WITH ORDINALITY AS m(case_id, hash, i)
                JOIN cases c ON c.id = m.case_id WHERE p.id = c.person_id"""), {"cases": cases, "hashes": hashes})
        data = roster(rows, served_numbers, [world.village, world.other_village], world.county)
        # The served people keep their names in the roster: row i names 服务对象{i}, so use those names.
        async with sessions.begin() as s:
            await s.execute(text("""
                UPDATE persons p SET name = '服务对象' || (m.i - 1)
                FROM unnest(CAST(:hashes AS text[])) WITH ORDINALITY AS m(hash, i) WHERE p.id_hash = m.hash"""),
                {"hashes": hashes})
        out["file_bytes"] = len(data)
        async with engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text("VACUUM ANALYZE"))

        async with sessions.begin() as s:
            import_id = uuid.uuid4()
            await s.execute(text("""
                INSERT INTO roster_imports (id, county_code, jurisdiction, filename, sha256, content, status,
                    total_rows, done_rows, good_rows, bad_rows, new_people, events, screenings, imported_by, created_at)
                VALUES (:id, :c, :c, 'bench.csv', :sha, :content, 'queued', 0, 0, 0, 0, 0, 0, 0, :u, :now)"""),
                {"id": import_id, "c": world.county, "sha": uuid.uuid4().hex, "u": uuid.uuid4(),
                 "content": seal(data, settings.id_cipher_key), "now": datetime.now(UTC)})
        t0 = time.perf_counter()
        tally = await run_import(sessions, settings, import_id)
        out["import_seconds"] = round(time.perf_counter() - t0, 3)
        out.update(good_rows=tally.good, bad_rows=len(tally.bad), new_people=tally.new_people, events=tally.events,
                   screenings=tally.screenings)

        async with engine.connect() as conn:
            await conn.execute(text("CREATE TABLE roster_staging (name text, id_number text, village_code text, "
                                    "category text, change text, effective_on text)"))
            await conn.commit()
            raw = await conn.get_raw_connection()
            t0 = time.perf_counter()
            await raw.driver_connection.copy_to_table(  # type: ignore[union-attr]
                "roster_staging", source=io.BytesIO(data), format="csv", header=True)
            out["copy_seconds"] = round(time.perf_counter() - t0, 3)
        await engine.dispose()
    out["ratio"] = round(out["import_seconds"] / out["copy_seconds"], 2)
    out["goal"] = f"import <= {GOAL_RATIO}x bare COPY"
    out["within_goal"] = out["ratio"] <= GOAL_RATIO
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--json", type=str, default=None)
    args = parser.parse_args()
    out = asyncio.run(run(args.rows))
    print(json.dumps(out, ensure_ascii=False, indent=2))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, ensure_ascii=False, indent=2)


if __name__ == "__main__":
    main()
