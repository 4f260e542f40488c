from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
import pytest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.documents.store import DocumentStore
from api.deps import Resources, get_today
from api.main import create_app
from infra.db import Sessions
from infra.security import issue_token
from models.payloads.actor import Actor
from models.settings import Settings
from tests.conftest import SETTINGS
from tests.flow import Api
from tests.world import World
from vocabulary.china import CHINA
from workflows.settlement import SettlementWorkflow, settlement_workflow_id


@pytest.fixture
async def api(
    dev_env: WorkflowEnvironment, sessions: Sessions, task_queue: str, worker: Worker, documents: DocumentStore
) -> AsyncIterator[Api]:
    settings = SETTINGS.model_copy(update={"task_queue": task_queue})
    app = create_app(settings)
    app.state.resources = Resources(settings=settings, sessions=sessions, temporal=dev_env.client,
                                    documents=documents)
    # One "today" for the whole test: what it writes relative to today, the API measures against the same day,
    # even if midnight in China passes while it runs.
    today = datetime.now(CHINA).date()
    app.dependency_overrides[get_today] = lambda: today
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield Api(http, settings, dev_env.client, today)


@dataclass
class Http:
    http: httpx.AsyncClient
    settings: Settings
    client: Client

    def headers(self, actor: Actor, key: str | None = None) -> dict[str, str]:
        h = {"Authorization": f"Bearer {issue_token(actor, self.settings.token_secret, 3600)}"}
        if key:
            h["Idempotency-Key"] = key
        return h

    async def post(self, path: str, actor: Actor, body: Any = None, key: str | None = None) -> httpx.Response:
        return await self.http.post(path, json=body, headers=self.headers(actor, key))

    async def put(self, path: str, actor: Actor, body: Any = None) -> httpx.Response:
        return await self.http.put(path, json=body, headers=self.headers(actor))

    async def get(self, path: str, actor: Actor, **params: Any) -> httpx.Response:
        return await self.http.get(path, params=params, headers=self.headers(actor))

    async def ok(self, method: str, path: str, actor: Actor, body: Any = None, **params: Any) -> Any:
        r = await self.http.request(method, path, json=body, params=params, headers=self.headers(actor))
        assert r.status_code in (200, 201, 202), (method, path, r.status_code, r.text)
        return r.json()

    async def run(self, world: World, period: str) -> Any:
        """A county officer's (re-)run of the period, waited for to the end."""
        started = await self.ok("POST", "/settlement/runs", world.officer, {"period": period})
        assert started["workflow_id"] == settlement_workflow_id(period, world.county)
        handle = self.client.get_workflow_handle_for(SettlementWorkflow.run, started["workflow_id"])
        return await handle.result()


@pytest.fixture
async def http(dev_env: WorkflowEnvironment, sessions: Sessions, task_queue: str,
               worker: Worker, documents: DocumentStore) -> AsyncIterator[Http]:
    settings = SETTINGS.model_copy(update={"task_queue": task_queue,
                                           "settlement_schedule_id": f"settlement-{task_queue}"})
    app = create_app(settings)
    app.state.resources = Resources(settings=settings, sessions=sessions, temporal=dev_env.client,
                                    documents=documents)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield Http(client, settings, dev_env.client)
