"""A county set up from nothing with the CLI and the API alone, as the README's "Setting up a county" says:
an empty database, the `assistflow` command creates the county officer, who creates a township worker, a village
assistant, a provider and the provider's user through the API, who then walk a case to dynamic management.

The CLI runs as its own process (the installed console script), against a database of its own.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from temporalio.testing import WorkflowEnvironment

from activities.documents.store import DocumentStore
from api.deps import Resources
from api.main import create_app
from infra.db import make_engine, make_sessions, sync_url
from tests.conftest import SETTINGS
from tests.flow import APPROVE, ARCHIVE, PLAN, SURVEY, new_person
from worker import build_worker

CLI = str(Path(sys.executable).with_name("assistflow"))
PASSWORD = "county-setup-2026"
VILLAGE = "341702001001"


def cli(env: dict[str, str], *args: str, ok: bool = True) -> str:
    done = subprocess.run([CLI, *args], env=env, capture_output=True, text=True, timeout=120)
    assert (done.returncode == 0) == ok, (args, done.returncode, done.stdout, done.stderr)
    return done.stdout + done.stderr


@pytest.fixture
def empty_database(database_url: str) -> Iterator[str]:
    name = f"assistflow_setup_{uuid.uuid4().hex[:8]}"
    url = make_url(database_url).set(database=name).render_as_string(hide_password=False)
    yield url
    admin = create_engine(make_url(sync_url(url)).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def env(empty_database: str, dev_env: WorkflowEnvironment) -> dict[str, str]:
    address = dev_env.client.service_client.config.target_host
    return {**os.environ, "DATABASE_URL": empty_database, "TEMPORAL_ADDRESS": address, "ASSISTFLOW_PASSWORD": PASSWORD}


@pytest.fixture
async def http(
    empty_database: str, dev_env: WorkflowEnvironment, env: dict[str, str], documents: DocumentStore
) -> AsyncIterator[httpx.AsyncClient]:
    cli(env, "migrate")  # the API process needs the schema before it serves; the county is set up after
    task_queue = f"setup-{uuid.uuid4().hex}"
    engine = make_engine(empty_database)
    sessions = make_sessions(engine)
    settings = SETTINGS.model_copy(update={"task_queue": task_queue, "database_url": empty_database})
    app = create_app(settings)
    app.state.resources = Resources(settings=settings, sessions=sessions, temporal=dev_env.client,
                                    documents=documents)
    async with build_worker(dev_env.client, sessions, task_queue, documents):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://county") as client:
            yield client
    await engine.dispose()


async def login(http: httpx.AsyncClient, username: str) -> dict[str, str]:
    r = await http.post("/auth/token", data={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


async def call(http: httpx.AsyncClient, who: dict[str, str], path: str, body: Any, status: int = 200) -> Any:
    r = await http.post(path, json=body, headers=who)
    assert r.status_code == status, (path, r.status_code, r.text)
    return r.json()


async def test_a_county_is_set_up_from_an_empty_database_and_walks_a_case(
    http: httpx.AsyncClient, env: dict[str, str], tmp_path: Path
) -> None:
    # Before the county's divisions are loaded, its officer cannot be created: no phantom counties.
    assert "unknown_division" in cli(env, "county-officer", "341702", "chen", "--name", "陈民政", ok=False)
    assert "新增 29" in cli(env, "divisions", "load", "341702")
    villages = tmp_path / "villages.csv"
    villages.write_text("区划代码,名称\n341702001001,杏花村社区(测试)\n341702002001,平天湖社区(测试)\n",
                        encoding="utf-8")
    assert "新增 2" in cli(env, "divisions", "import", str(villages), "--county", "341702")
    assert "已创建用户 chen" in cli(env, "county-officer", "341702", "chen", "--name", "陈民政")
    assert "已存在，未改动" in cli(env, "county-officer", "341702", "chen", "--name", "陈民政")  # idempotent
    template = tmp_path / "清单.xlsx"
    cli(env, "service-list", "template", str(template))
    assert "added 14" in cli(env, "service-list", "import", str(template), "--county", "341702")
    assert "unchanged 14" in cli(env, "service-list", "import", str(template), "--county", "341702")

    officer = await login(http, "chen")
    worker = await call(http, officer, "/users", {"username": "wang", "full_name": "王办事", "role": "township_worker",
                                                  "jurisdiction": "341702001", "password": PASSWORD}, 201)
    await call(http, officer, "/users", {"username": "li", "full_name": "李协理", "role": "village_assistant",
                                         "jurisdiction": VILLAGE, "password": PASSWORD}, 201)
    provider = await call(http, officer, "/providers", {
        "name": "贵池区阳光社会工作服务中心", "kind": "社会工作服务机构", "credit_code": "52341702MJA0001011",
        "account": {"account_name": "贵池区阳光社会工作服务中心", "account_no": "6217000000000000101",
                    "bank_name": "中国建设银行池州分行"}}, 201)
    assert (provider["credit_code"], provider["active"], provider["account_no"]) == (
        "52341702MJA0001011", True, "6217000000000000101")
    await call(http, officer, "/users", {"username": "sun", "full_name": "孙社工", "role": "provider",
                                         "jurisdiction": "341702", "provider_id": provider["id"],
                                         "password": PASSWORD}, 201)
    phantom = await http.post("/users", headers=officer, json={
        "username": "ghost", "full_name": "不存在", "role": "township_worker", "jurisdiction": "341702099",
        "password": PASSWORD})
    assert (phantom.status_code, phantom.json()["code"]) == (422, "unknown_division")

    wang, li, sun = [await login(http, u) for u in ("wang", "li", "sun")]
    case = (await call(http, wang, "/cases", {"channel": "window", "need_description": "独居老人，需要上门助洁",
                                              "person": new_person(village=VILLAGE)}, 201))["id"]
    await call(http, wang, f"/cases/{case}/registration", {"need_category": "living"})
    await call(http, li, f"/cases/{case}/survey", SURVEY)
    await call(http, wang, f"/cases/{case}/review", APPROVE)
    await call(http, wang, f"/cases/{case}/referral", {"provider_id": provider["id"]})
    await call(http, sun, f"/cases/{case}/referral/response", {"accept": True})
    await call(http, sun, f"/cases/{case}/plan", PLAN)
    done = await call(http, sun, f"/cases/{case}/archive", ARCHIVE)
    assert done["step"] == "dynamic_management" and done["service_no"].startswith("MJA000101")
    detail = (await http.get(f"/cases/{case}", headers=wang)).json()
    assert [h["action"] for h in detail["history"]][:2] == ["open", "register"]
    assert worker["jurisdiction_name"] == "池阳街道"
