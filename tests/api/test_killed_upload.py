"""Nothing half-written: the API process (a real uvicorn) is killed with SIGKILL while a large upload streams
and small ones come and go. Afterwards every row has its whole object, no object lacks a row except those a
pending key names, and the sweeper leaves exactly the objects the rows name."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
from sqlalchemy import select
from temporalio.testing import WorkflowEnvironment

from activities.documents.store import DocumentStore
from activities.documents.sweep import sweep
from activities.documents.verify import verify
from infra.db import Sessions
from infra.envelope import Keyring
from infra.storage.filesystem import FileSystemStore
from models.documents.tables import DOCUMENT_PENDING, DOCUMENTS
from models.settings import PROJECT_ROOT
from tests.conftest import SETTINGS
from tests.document_samples import pdf_bytes
from tests.flow import Api
from tests.s3server import free_ports

BIG = 16 * 1024 * 1024
KILL_AFTER = 6 * 1024 * 1024
CHUNK = 64 * 1024


def multipart(kind: str, name: str, data: bytes) -> tuple[str, bytes, bytes]:
    boundary = f"assistflow-{uuid.uuid4().hex}"
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\n{kind}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/pdf\r\n\r\n").encode()
    return boundary, head + data, f"\r\n--{boundary}--\r\n".encode()


def start_api(port: int, database_url: str, temporal: str, data_dir: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": database_url, "TEMPORAL_ADDRESS": temporal, "DATA_DIR": str(data_dir),
           "DOCUMENT_ORPHAN_GRACE_SECONDS": "3600", "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "api.main:app", "--host", "127.0.0.1",
                             "--port", str(port), "--log-level", "warning"],
                            env=env, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def wait_healthy(base: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    async with httpx.AsyncClient(base_url=base, trust_env=False) as http:
        while time.monotonic() < deadline:
            assert proc.poll() is None, "the API process exited while starting"
            try:
                if (await http.get("/health")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise TimeoutError("the API did not become healthy")


async def test_killing_the_api_mid_upload_leaves_nothing_half_written(
    api: Api, dev_env: WorkflowEnvironment, database_url: str, sessions: Sessions, tmp_path: Path,
) -> None:
    case = await api.walk(until="archiving")
    port = free_ports(1)[0]
    base = f"http://127.0.0.1:{port}"
    proc = start_api(port, database_url, dev_env.client.service_client.config.target_host, tmp_path)
    killed = asyncio.Event()
    accepted: list[str] = []
    try:
        await wait_healthy(base, proc)
        headers = api.headers("fuwu")
        async with httpx.AsyncClient(base_url=base, trust_env=False, timeout=60) as http:
            async def small_uploads() -> None:
                n = 0
                while not killed.is_set():
                    n += 1
                    try:
                        r = await http.post(f"/cases/{case}/archive/files", headers=headers, data={"kind": "id_card"},
                                            files={"file": (f"id-{n}.pdf", pdf_bytes(f"copy {n}"), "application/pdf")})
                    except httpx.TransportError:
                        return
                    assert r.status_code == 201, r.text
                    accepted.append(r.json()["id"])

            boundary, body, tail = multipart("needs_form", "needs.pdf", pdf_bytes("needs form", pad_to=BIG))

            async def stream() -> AsyncIterator[bytes]:
                for start in range(0, len(body), CHUNK):
                    if start >= KILL_AFTER and not killed.is_set():
                        os.kill(proc.pid, signal.SIGKILL)  # mid-stream, while small uploads are in flight
                        killed.set()
                    yield body[start:start + CHUNK]
                    await asyncio.sleep(0.002)
                yield tail

            async def big_upload() -> int | None:
                try:
                    r = await http.post(f"/cases/{case}/archive/files", content=stream(), headers={
                        **headers, "Content-Type": f"multipart/form-data; boundary={boundary}",
                        "Content-Length": str(len(body) + len(tail))})
                except httpx.TransportError:
                    return None
                return r.status_code

            smalls = asyncio.create_task(small_uploads())
            while len(accepted) < 3:  # some whole uploads first, so there is something to keep
                await asyncio.sleep(0.05)
            assert await big_upload() is None  # the connection died with the process
            await smalls
        assert proc.wait(timeout=10) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()

    objects = FileSystemStore(tmp_path / "documents")
    store = DocumentStore(objects, Keyring.from_settings(SETTINGS), sessions, 3600)
    async with sessions() as s:
        rows = (await s.execute(select(DOCUMENTS).where(DOCUMENTS.c.case_id == case))).all()
        pending = set((await s.execute(select(DOCUMENT_PENDING.c.object_key))).scalars())
    row_keys = {r.object_key for r in rows}
    in_store = {k async for k in objects.list_keys()}
    # Every upload the client was told succeeded is there, whole; the killed one left no row.
    assert set(accepted) <= {str(r.id) for r in rows} and len(accepted) >= 3
    assert all(r.kind == "id_card" and r.size < 1024 * 1024 for r in rows)
    assert row_keys <= in_store
    for r in rows:
        assert (await store.read(r)).startswith(b"%PDF")
    # Every object is named by a row or by a pending key (an upload between its object and its commit).
    assert in_store <= row_keys | pending
    await sweep(store, older_than_seconds=0)
    assert {k async for k in objects.list_keys()} == row_keys
    assert not [p for p in tmp_path.rglob(".part-*")]
    report = await verify(store)
    assert not (set(report.missing) | set(report.corrupt)) & {r.id for r in rows}
