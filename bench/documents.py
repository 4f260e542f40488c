"""Documents through the API against the filesystem floor, measured in the same run.

    .venv/bin/python -m bench.documents            # 200 documents of 1 MB, 8 in flight
    .venv/bin/python -m bench.documents --full     # the issue's figure: 1,000 documents of 1 MB
    .venv/bin/python -m bench.documents --count 300 --size-kb 512 --concurrency 4

The API leg is the real app in its own uvicorn process on 127.0.0.1 (as deployed; the client is this
process), with its filesystem store in a temporary folder: each upload is a multipart POST
(`/cases/{id}/archive/files`, a real 1 MB PDF that is type-sniffed and opened with pypdf, hashed, encrypted with
its own data key, written with fsync and rename, and its row committed); each read is a GET of its content (the
row read, the object read and decrypted, the access recorded and committed). The floor writes the same bytes
straight to files in another temporary folder (with fsync, as durable as the store) and reads them back, at the
same concurrency. Goal: the API within 3x of the floor for the upload-then-read round. Timing is printed,
never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx
from temporalio.testing import WorkflowEnvironment

from bench.stack import database
from devstack import binaries as devtools
from devstack.seed import COUNTY, PROVIDERS, TOWNSHIP, VILLAGE, seed_demo
from infra.db import make_engine, make_sessions
from models.settings import PROJECT_ROOT, Settings
from models.tables import Case, Person
from tests.api.test_killed_upload import wait_healthy
from tests.document_samples import pdf_bytes
from tests.flow import Api
from tests.s3server import free_ports

GOAL = 3.0


async def _case(settings: Settings) -> str:
    """A case in service with the first demo provider, written straight to the tables (no Temporal needed)."""
    sessions = make_sessions(make_engine(settings.database_url, pool_size=2))
    await seed_demo(sessions, settings)
    now, case_id, person_id = datetime.now(UTC), uuid.uuid4(), uuid.uuid4()
    async with sessions.begin() as s:
        s.add(Person(id=person_id, id_hash=uuid.uuid4().hex, id_cipher=b"-", name="基准测试", gender="女",
                     birth_date=datetime(1940, 1, 1).date(), village_code=VILLAGE, category="tekun", conditions=[],
                     created_at=now, updated_at=now))
        await s.flush()
        s.add(Case(id=case_id, person_id=person_id, channel="window", step="archiving", status="open",
                   provider_id=PROVIDERS[0][0], county_code=COUNTY, township_code=TOWNSHIP, village_code=VILLAGE,
                   opened_at=now, updated_at=now))
    return str(case_id)


async def _pool(count: int, concurrency: int, one: object) -> float:
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(count):
        queue.put_nowait(i)

    async def runner() -> None:
        while not queue.empty():
            await one(queue.get_nowait())  # type: ignore[operator]

    started = time.perf_counter()
    await asyncio.gather(*(runner() for _ in range(concurrency)))
    return time.perf_counter() - started


def _write(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


async def run(count: int, size: int, concurrency: int) -> dict[str, float]:
    data = pdf_bytes("bench", pad_to=size)
    with database() as (url, _), tempfile.TemporaryDirectory(prefix="assistflow-bench-docs-") as tmp:
        settings = Settings(database_url=url, data_dir=Path(tmp) / "api")
        case = await _case(settings)
        port = free_ports(1)[0]
        base = f"http://127.0.0.1:{port}"
        # The API's lifespan connects to Temporal (document routes never call it): a dev server from the wheel.
        temporal = await WorkflowEnvironment.start_local(dev_server_existing_path=devtools.temporal_cli(),
                                                         dev_server_log_level="error")
        env = {**os.environ, "DATABASE_URL": url, "DATA_DIR": str(settings.data_dir),
               "TEMPORAL_ADDRESS": temporal.client.service_client.config.target_host}
        server = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "api.main:app", "--host", "127.0.0.1",
                                   "--port", str(port), "--log-level", "warning", "--no-access-log"],
                                  env=env, cwd=PROJECT_ROOT)
        try:
            await wait_healthy(base, server)
            headers = Api(None, settings, None).headers("fuwu")  # type: ignore[arg-type]
            limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
            async with httpx.AsyncClient(base_url=base, limits=limits, timeout=120, trust_env=False) as http:
                ids: list[str] = []

                async def up(i: int) -> None:
                    r = await http.post(f"/cases/{case}/archive/files", headers=headers, data={"kind": "needs_form"},
                                        files={"file": (f"form-{i}.pdf", data, "application/pdf")})
                    assert r.status_code == 201, r.text
                    ids.append(r.json()["id"])

                async def down(i: int) -> None:
                    r = await http.get(f"/cases/{case}/documents/{ids[i]}/content", headers=headers)
                    assert r.status_code == 200 and len(r.content) == len(data)

                await _pool(min(8, count), concurrency, up)  # warm-up: connections, pools, imports
                await _pool(min(8, count), concurrency, down)
                ids.clear()
                api_write = await _pool(count, concurrency, up)
                api_read = await _pool(count, concurrency, down)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
            await temporal.shutdown()
        floor_dir = Path(tmp) / "floor"
        floor_dir.mkdir()

        async def fs_write(i: int) -> None:
            await asyncio.to_thread(_write, floor_dir / f"{i}.pdf", data)

        async def fs_read(i: int) -> None:
            assert len(await asyncio.to_thread((floor_dir / f"{i}.pdf").read_bytes)) == len(data)

        fs_write_s = await _pool(count, concurrency, fs_write)
        fs_read_s = await _pool(count, concurrency, fs_read)
    return {"api_write": api_write, "api_read": api_read, "fs_write": fs_write_s, "fs_read": fs_read_s}


def report(count: int, size: int, t: dict[str, float]) -> None:
    mb = count * size / (1024 * 1024)
    print(f"{count} documents of {size // 1024} KB ({mb:.0f} MB each way)")
    for leg in ("write", "read"):
        api, fs = t[f"api_{leg}"], t[f"fs_{leg}"]
        print(f"  {leg:5}  API {count / api:7.1f} docs/s {mb / api:7.1f} MB/s | filesystem {count / fs:7.1f} docs/s "
              f"{mb / fs:7.1f} MB/s | {api / fs:4.1f}x")
    ratio = (t["api_write"] + t["api_read"]) / (t["fs_write"] + t["fs_read"])
    print(f"  upload then read: {ratio:.2f}x the filesystem floor (goal <= {GOAL:.0f}x: "
          f"{'met' if ratio <= GOAL else 'NO'})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--full", action="store_true", help="1,000 documents (the issue's figure)")
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--size-kb", type=int, default=1024)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    count = 1000 if args.full else args.count
    try:
        report(count, args.size_kb * 1024, asyncio.run(run(count, args.size_kb * 1024, args.concurrency)))
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
