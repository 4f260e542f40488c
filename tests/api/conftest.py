from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime

import httpx
import pytest
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from api.deps import Resources, get_today
from api.main import create_app
from infra.db import Sessions
from tests.conftest import SETTINGS
from tests.flow import Api
from workflows.timing import CHINA


@pytest.fixture
async def api(
    dev_env: WorkflowEnvironment, sessions: Sessions, task_queue: str, worker: Worker
) -> AsyncIterator[Api]:
    settings = SETTINGS.model_copy(update={"task_queue": task_queue})
    app = create_app(settings)
    app.state.resources = Resources(settings=settings, sessions=sessions, temporal=dev_env.client)
    # One "today" for the whole test: what it writes relative to today, the API measures against the same day,
    # even if midnight in China passes while it runs.
    today = datetime.now(CHINA).date()
    app.dependency_overrides[get_today] = lambda: today
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield Api(http, settings, dev_env.client, today)
