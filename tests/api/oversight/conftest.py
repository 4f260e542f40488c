"""Oversight API tests: the API on the session's database and dev server, with "today" pinned to a chosen day
(no test depends on the day it runs), and a fresh county per test (tests/world.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import httpx
import pytest
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.documents.store import DocumentStore
from api.deps import Resources, get_today
from api.main import create_app
from infra.db import Sessions
from tests.api.conftest import Http
from tests.conftest import SETTINGS

TODAY = date(2026, 11, 20)  # a Friday


@pytest.fixture
async def ohttp(dev_env: WorkflowEnvironment, sessions: Sessions, task_queue: str, worker: Worker,
                documents: DocumentStore) -> AsyncIterator[Http]:
    settings = SETTINGS.model_copy(update={"task_queue": task_queue})
    app = create_app(settings)
    app.state.resources = Resources(settings=settings, sessions=sessions, temporal=dev_env.client,
                                    documents=documents)
    app.dependency_overrides[get_today] = lambda: TODAY
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield Http(client, settings, dev_env.client)
