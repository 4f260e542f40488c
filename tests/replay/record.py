"""Record the histories the replay test replays (tests/replay/histories/*.json), from a full walk of every
workflow type on real servers:

- a case on the time-skipping server from 2026-12-24 (its deadlines reach into 2027, a year with no published
  calendar, so they are provisional): the calendar reload signals it and it recomputes; its deadline's rungs
  fire (reminder, due, overdue); it is suspended, resumed, walked into service, reviewed monthly (each review a
  continue-as-new) and stopped — every run of it recorded;
- a case on a dev server that suggests continue-as-new every 20 events, reassigned until it continues;
- a settlement run (and the schedule's tick) with its statements approved and paid, on the dev server.

    python -m tests.replay.record      # then commit tests/replay/histories/
"""

from __future__ import annotations

import asyncio
import json
import tempfile
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select, text
from sqlalchemy.engine import make_url
from temporalio.client import Client, WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from activities.documents.store import DocumentStore
from activities.oversight.rectifications import open_rectification, submit_report
from api.deps import Resources
from api.main import create_app
from devstack import binaries as devtools
from devstack.seed import PROVIDERS, VILLAGE, seed_demo, user_id
from infra.db import Sessions, make_engine, make_sessions
from infra.migrate import upgrade
from infra.security import issue_token
from infra.temporal import data_converter
from models.oversight.tables import RECTIFICATIONS
from models.payloads.actor import Actor, Command
from models.payloads.dynamic import StopForm
from models.payloads.forms import (
    ArchiveForm,
    PlanForm,
    ReassignForm,
    ReferForm,
    RegisterForm,
    RespondForm,
    ResumeForm,
    ReviewForm,
    SurveyForm,
    SuspendForm,
)
from models.payloads.jobs import ReloadInput
from models.settlement.payloads import ApproveForm, PaymentForm, SettlementStart, TickStart
from models.tasks.payloads import TaskStart
from models.tasks.tables import TASKS
from tests.conftest import SETTINGS, time_skipping
from tests.flow import APPROVE, ARCHIVE, PLAN, SURVEY, new_person
from tests.workflows.driver import start_case, step
from tests.world import add_cases, add_record, at, make_world
from vocabulary.case import NeedCategory, Role
from vocabulary.china import CHINA
from vocabulary.oversight import RectificationSource
from worker import build_worker
from workflows import process
from workflows.calendar_reload import CalendarReloadWorkflow
from workflows.dynamic import roster_workflow_id
from workflows.settlement import SettlementTickWorkflow, SettlementWorkflow
from workflows.settlement_statement import StatementWorkflow, statement_workflow_id
from workflows.task import TaskWorkflow, task_workflow_id
from workflows.visibility import SEARCH_ATTRIBUTES

HERE = Path(__file__).resolve().parent / "histories"


async def save_runs(client: Client, handle: WorkflowHandle[Any, Any], name: str) -> int:
    """Every run of the workflow, newest back to the first (each run names the one it continued)."""
    run_id: str | None = None
    saved = 0
    while True:
        history = await client.get_workflow_handle(handle.id, run_id=run_id).fetch_history()
        started = history.events[0].workflow_execution_started_event_attributes
        run = started.original_execution_run_id if run_id is None else run_id
        record = {"workflow_id": handle.id, "history": json.loads(history.to_json())}
        (HERE / f"{name}-{saved:02d}.json").write_text(json.dumps(record, indent=1))
        saved += 1
        previous = started.continued_execution_run_id
        if not previous or previous == run:
            return saved
        run_id = previous


async def timers_and_reviews(sessions: Sessions) -> None:
    async with time_skipping(datetime(2026, 12, 24, 10, tzinfo=CHINA)) as env:
        queue = f"record-{uuid.uuid4().hex[:6]}"
        async with build_worker(env.client, sessions, queue):
            handle = await start_case(env.client, sessions, queue)
            await env.sleep(timedelta(days=9))  # past the registration deadline: reminder, due, overdue
            await step(handle, process.SUSPEND, "jiedao", SuspendForm(reason="等待申请人补充证明"))
            await env.sleep(timedelta(days=2))
            await step(handle, process.RESUME, "jiedao", ResumeForm())
            await step(handle, process.REGISTER, "jiedao", RegisterForm(need_category=NeedCategory.LIVING))
            # The survey's deadline lies in 2027, a year with no published calendar: provisional until loaded.
            reload = await env.client.start_workflow(CalendarReloadWorkflow.run, ReloadInput(year=2027),
                                                     id=f"calendar-reload-{uuid.uuid4().hex[:6]}", task_queue=queue)
            assert await reload.result() >= 1, "the case was not signalled to recompute"
            await env.sleep(timedelta(seconds=5))
            await step(handle, process.SURVEY, "xieliyuan", SurveyForm.model_validate(SURVEY))
            await step(handle, process.REVIEW, "jiedao", ReviewForm.model_validate(APPROVE))
            await step(handle, process.REFER, "jiedao", ReferForm(provider_id=PROVIDERS[0][0]))
            await step(handle, process.RESPOND, "fuwu", RespondForm(accept=True))
            await step(handle, process.FILE_PLAN, "fuwu", PlanForm.model_validate(PLAN))
            await step(handle, process.BUILD_ARCHIVE, "fuwu", ArchiveForm.model_validate(ARCHIVE))
            for _ in range(2):  # two monthly reviews, each a continue-as-new
                await env.sleep(timedelta(days=32))
            await step(handle, process.STOP, "jiedao", StopForm.model_validate({
                "reason": "本人书面申请停止服务，入住敬老院集中供养", "requested_on": "2027-02-20",
                "signed_request": True, "effective_on": "2027-03-01"}))
            await handle.result()
            print("case with timers:", await save_runs(env.client, handle, "case-timers"), "runs")
            await task_ladder(env, sessions, queue)
            print("calendar reload:", await save_runs(env.client, reload, "calendar-reload"), "runs")


async def task_ladder(env: WorkflowEnvironment, sessions: Sessions, queue: str) -> None:
    """A task outside any case (a provider's rectification): its rungs fire, then the report closes it."""
    world = await make_world(sessions)
    opened = await env.get_current_time()
    async with sessions.begin() as s:
        _, task = await open_rectification(
            s, source=RectificationSource.SPOT_CHECK, source_id=uuid.uuid4(), provider_id=world.provider_a,
            county=world.county, township=world.township, case_id=None, requirement="整改服务质量",
            actor_id=uuid.uuid4(), at=opened)
    assert task is not None
    handle = await env.client.start_workflow(TaskWorkflow.run, TaskStart(task_id=task), id=task_workflow_id(task),
                                             task_queue=queue)
    await env.sleep(timedelta(days=25))  # reminder, due, overdue
    async with sessions.begin() as s:
        subject = (await s.execute(select(TASKS.c.subject_id).where(TASKS.c.id == task))).scalar_one()
        rect = (await s.execute(select(RECTIFICATIONS).where(RECTIFICATIONS.c.id == subject))).one()
        await submit_report(s, rect, "已整改", await env.get_current_time())
    await handle.signal(TaskWorkflow.changed)
    await asyncio.wait_for(handle.result(), timeout=60)
    print("task:", await save_runs(env.client, handle, "task"), "runs")


async def roster_import(client: Client, sessions: Sessions, queue: str) -> None:
    """A county's roster of status changes, uploaded through the API: the import workflow and its pages."""
    settings = SETTINGS.model_copy(update={"task_queue": queue})
    store = DocumentStore.from_settings(settings, sessions)
    await store.objects.prepare()
    app = create_app(settings)
    app.state.resources = Resources(settings=settings, sessions=sessions, temporal=client, documents=store)
    officer = Actor(user_id=user_id("minzheng"), role=Role.COUNTY_OFFICER, jurisdiction="341702")
    today = datetime.now(CHINA).date().isoformat()
    rows = [("孙新增", new_person()["id_number"], VILLAGE, "特困人员", "新增", today),
            ("李新增", new_person()["id_number"], VILLAGE, "低保", "新增", today)]
    data = ("姓名,身份证号码,村(社区)代码,救助类别,变动类型,变动日期\n"
            + "".join(",".join(r) + "\n" for r in rows)).encode("utf-8-sig")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://record") as http:
        r = await http.post("/dynamic/roster-imports", files={"file": ("名单.csv", data, "text/csv")},
                            headers={"Authorization": f"Bearer {issue_token(officer, settings.token_secret, 600)}"})
        assert r.status_code == 202, r.text
    handle = client.get_workflow_handle(roster_workflow_id(uuid.UUID(r.json()["id"])))
    await handle.result()
    print("roster import:", await save_runs(client, handle, "roster-import"), "runs")
    await store.close()


async def chatty_case_and_settlement(sessions: Sessions) -> None:
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=devtools.temporal_cli(), search_attributes=SEARCH_ATTRIBUTES,
        data_converter=data_converter(SETTINGS.payload_key), dev_server_log_level="error",
        dev_server_extra_args=["--dynamic-config-value", "limit.historyCount.suggestContinueAsNew=20"])
    queue = f"record-{uuid.uuid4().hex[:6]}"
    try:
        async with build_worker(env.client, sessions, queue):
            handle = await start_case(env.client, sessions, queue)
            for i in range(8):
                who = user_id("jiedao" if i % 2 else "jiedaolead")
                await step(handle, process.REASSIGN, "jiedaolead", ReassignForm(assignee_id=who, reason="轮岗"))
            print("case continued by suggestion:", await save_runs(env.client, handle, "case-suggested"), "runs")
            await settle(env.client, sessions, queue)
            await roster_import(env.client, sessions, queue)
    finally:
        await env.shutdown()


async def settle(client: Client, sessions: Sessions, queue: str) -> None:
    world = await make_world(sessions)
    async with sessions.begin() as s:
        for case in await add_cases(s, world, 2):
            await add_record(s, case, world.provider_a, "cleaning_aid", at(datetime(2026, 10, 6).date()))
    run = await client.start_workflow(SettlementWorkflow.run, SettlementStart(period="2026-10",
                                      county_code=world.county), id=f"settlement-record-{world.county}",
                                      task_queue=queue)
    await run.result()
    print("settlement:", await save_runs(client, run, "settlement"), "runs")
    async with sessions() as s:
        sid, version, purchaser = (await s.execute(text(
            "SELECT id, version, purchaser_code FROM statements WHERE county_code = :c ORDER BY id LIMIT 1"),
            {"c": world.county})).one()
    statement = client.get_workflow_handle_for(StatementWorkflow.run, statement_workflow_id(sid))
    officer = world.actor(Role.TOWNSHIP_WORKER, purchaser) if len(purchaser) == 9 else world.officer
    await statement.execute_update(StatementWorkflow.approve, Command[ApproveForm](
        actor=officer, form=ApproveForm(version=version)))
    await statement.execute_update(StatementWorkflow.mark_paid, Command[PaymentForm](
        actor=officer, form=PaymentForm(voucher_no="PZ-2026-0001", paid_on=datetime(2026, 11, 20).date())))
    await statement.result()
    print("statement:", await save_runs(client, statement, "statement"), "runs")
    tick = await client.start_workflow(SettlementTickWorkflow.run, TickStart(), id=f"tick-{uuid.uuid4().hex[:6]}",
                                       task_queue=queue)
    await tick.result()
    print("tick:", await save_runs(client, tick, "settlement-tick"), "runs")


async def main() -> None:
    HERE.mkdir(exist_ok=True)
    for old in HERE.glob("*.json"):
        old.unlink()
    server = devtools.database_url_from_env("postgres") or devtools.embedded_postgres(
        Path(tempfile.mkdtemp(prefix="assistflow-record-")))
    url = make_url(server).set(database=f"assistflow_record_{uuid.uuid4().hex[:6]}").render_as_string(
        hide_password=False)
    upgrade(url)
    engine = make_engine(url)
    sessions = make_sessions(engine)
    await seed_demo(sessions, SETTINGS)
    try:
        await timers_and_reviews(sessions)
        await chatty_case_and_settlement(sessions)
    finally:
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
