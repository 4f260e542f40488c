"""The urgent path (突发情况 / 先行救助) through the HTTP API, on a time-skipping Temporal server that starts on a fixed
day: a case marked urgent at registration gets short-term care from a provider with an agreement at once; the
county sees it in the stuck view and the overview until it is reviewed; a refusal ends the care on the decision's
date, and the monthly settlement pays exactly the care delivered up to then. An assistant's mark waits for the
township; the county's cap ends the care too."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from activities.documents.store import DocumentStore
from api.deps import Resources, get_today
from api.main import create_app
from devstack.seed import COUNTY, TOWNSHIP, AgreementSeed, configure_county
from infra.db import Sessions
from tests.conftest import SETTINGS, time_skipping
from tests.flow import PLAN, PROVIDER_A, PROVIDER_B, Api
from vocabulary.china import CHINA
from worker import build_worker
from workflows.settlement import SettlementWorkflow

START = datetime(2026, 6, 8, 10, tzinfo=CHINA)  # a Monday
URGENT = {"reason": "caregiver_lost", "details": "独居老人，照料其的女儿突发住院，短期无人照料",
          "provider_id": PROVIDER_A, "items": [{"item_code": "cleaning_aid", "quantity_per_month": 8},
                                               {"item_code": "visit", "quantity_per_month": 4}]}
REFUSE = {"decision": "refuse", "reasons": "经入户调查，申请人子女已返家照料，不符合服务类社会救助条件"}


class Clock:
    def __init__(self, env: Any, api: Api) -> None:
        self.env, self.api = env, api

    async def now(self) -> datetime:
        now: datetime = await self.env.get_current_time()
        return now

    async def advance(self, delta: timedelta) -> None:
        await self.env.sleep(delta)
        self.api.today = (await self.now()).astimezone(CHINA).date()


@pytest.fixture
async def urgent(sessions: Sessions, task_queue: str, documents: DocumentStore) -> AsyncIterator[tuple[Api, Clock]]:
    if datetime.now(CHINA).year != 2026:  # the demo agreements are seeded for the year the tests run in
        async with sessions.begin() as s:
            await configure_county(s, COUNTY, pooled=None, agreements=(
                AgreementSeed("UR2026-001", TOWNSHIP, uuid.UUID(PROVIDER_A), "先行救助测试购买服务"),))
    async with time_skipping(START) as env, build_worker(env.client, sessions, task_queue, documents):
        settings = SETTINGS.model_copy(update={"task_queue": task_queue})
        app = create_app(settings)
        app.state.resources = Resources(settings=settings, sessions=sessions, temporal=env.client,
                                        documents=documents)
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            api = Api(http, settings, env.client, START.date())
            app.dependency_overrides[get_today] = lambda: api.today
            yield api, Clock(env, api)


async def _record(api: Api, case: str, day: date, item: str = "cleaning_aid", user: str = "fuwu") -> httpx.Response:
    body = {"item_code": item, "started_at": datetime(day.year, day.month, day.day, 9, tzinfo=CHINA).isoformat(),
            "minutes": 60, "worker_name": "孙社工", "content": "上门助洁"}
    return await api.post(f"/cases/{case}/service-records", user, body)


async def _confirmed(api: Api, case: str, day: date, item: str = "cleaning_aid") -> str:
    r = await _record(api, case, day, item)
    assert r.status_code == 201, r.text
    rid = str(r.json()["id"])
    await api.ok(f"/cases/{case}/service-records/{rid}/confirmation", "fuwu", {"by": "recipient"})
    return rid


async def _run(api: Api, period: str) -> None:
    r = await api.post("/settlement/runs", "minzheng", {"period": period})
    assert r.status_code == 202, r.text
    await api.temporal.get_workflow_handle_for(SettlementWorkflow.run, r.json()["workflow_id"]).result()


async def _cap(api: Api, days: int) -> None:
    r = await api.http.put("/oversight/settings", json={"urgent_care_days": days}, headers=api.headers("minzheng"))
    assert r.status_code == 200 and r.json()["urgent_care_days"] == days, r.text


async def _in_care(api: Api, user: str) -> set[str]:
    return {r["case_id"] for r in (await api.get("/urgent-cares", user)).json()}


async def _stuck(api: Api) -> set[str]:
    page = (await api.get("/supervision/stuck", "minzheng", reason="urgent_unreviewed", limit=200)).json()
    assert all(i["reason"] == "urgent_unreviewed" for i in page["items"])
    return {i["id"] for i in page["items"]}


async def test_refused_urgent_case_is_paid_up_to_the_decision(urgent: tuple[Api, Clock], sessions: Sessions) -> None:
    api, clock = urgent
    case = await api.open()
    await api.to_survey(case)
    before_mark = await _record(api, case, START.date())
    assert before_mark.status_code == 404  # no referral, no urgent care: the provider does not see the case

    marked = await api.ok(f"/cases/{case}/urgent", "jiedao", URGENT)
    assert marked["step"] == "survey"  # the case stays where it is: survey and review follow
    detail = (await api.get(f"/cases/{case}", "jiedao")).json()
    assert detail["urgent"] == "confirmed" and detail["due_on"] is not None
    assert "mark_urgent" not in {a["action"] for a in detail["available_actions"]}
    care = (await api.get(f"/cases/{case}/urgent", "fuwu")).json()
    assert (care["started_on"], care["last_day"], care["provider_name"]) == (
        "2026-06-08", "2026-07-07", "贵池区阳光社会工作服务中心")  # the default cap: 30 days
    modes = (await api.get(f"/cases/{case}/modes", "jiedao")).json()["modes"]
    assert [(m["mode"], m["summary"], m["ended_on"]) for m in modes] == [("purchase", "先行救助短期照料", None)]
    assert case in await _stuck(api)
    overview = (await api.get("/oversight/overview", "minzheng", year=2026)).json()["urgent"]
    assert overview["open"] >= 1
    assert case in await _in_care(api, "fuwu")  # the provider's service entry lists it
    assert case not in await _in_care(api, "fuwu2")

    before = [await _confirmed(api, case, START.date() + timedelta(days=d)) for d in (0, 2)]
    before.append(await _confirmed(api, case, START.date() + timedelta(days=2), "visit"))
    unlisted = await _record(api, case, START.date() + timedelta(days=1), "meal_delivery")
    assert (unlisted.status_code, unlisted.json()["code"]) == (422, "item_not_in_urgent_care")
    other = await _record(api, case, START.date() + timedelta(days=1), user="fuwu2")
    assert other.status_code == 404  # another provider: the case does not exist for it

    await clock.advance(timedelta(days=3))
    await api.to_review(case)
    assert case in await _stuck(api)  # surveyed, not reviewed: still watched
    await clock.advance(timedelta(days=2))  # decided on 2026-06-13
    await api.ok(f"/cases/{case}/review", "jiedao", REFUSE)
    assert case not in await _stuck(api)

    late = await _confirmed(api, case, date(2026, 6, 13))  # delivered on the decision's day, recorded later: paid
    after = await _record(api, case, date(2026, 6, 14))
    assert (after.status_code, after.json()["code"]) == (409, "urgent_care_ended")
    assert "2026年06月13日" in after.json()["message"] and "不予确认" in after.json()["message"]
    care = (await api.get(f"/cases/{case}/urgent", "jiedao")).json()
    assert (care["ends_on"], care["end_reason"]) == ("2026-06-13", "refused")
    modes = (await api.get(f"/cases/{case}/modes", "jiedao")).json()["modes"]
    assert [(m["ended_on"], m["end_reason"]) for m in modes] == [("2026-06-13", "审核不予确认，先行救助于决定之日结束")]
    overview = (await api.get("/oversight/overview", "minzheng", year=2026)).json()["urgent"]
    assert overview["refused"] >= 1 and overview["reviewed"] >= overview["refused"]

    # The run's cutoff is the (server's) time it starts: past the real time the confirmations were written.
    await clock.advance(datetime.now(UTC) - await clock.now() + timedelta(days=1))
    assert case not in await _in_care(api, "fuwu")  # ended
    await _run(api, "2026-06")
    async with sessions() as s:
        paid = set((await s.execute(text(
            "SELECT sr.record_id::text FROM statement_records sr JOIN service_records r ON r.id = sr.record_id "
            "WHERE r.case_id = :c AND sr.paid_quantity > 0"), {"c": case})).scalars())
    assert paid == {*before, late}
    settled = (await api.get(f"/cases/{case}/statements", "jiedao")).json()
    assert [(s["quantity"], s["flagged_quantity"]) for s in settled] == [(4, 0)]

    await _run(api, "2026-06")  # a re-run pays nothing twice
    assert [s["quantity"] for s in (await api.get(f"/cases/{case}/statements", "jiedao")).json()] == [4]


async def test_assistant_asks_the_township_confirms_and_the_cap_ends_the_care(urgent: tuple[Api, Clock]) -> None:
    api, clock = urgent
    case = await api.open()
    await api.to_survey(case)
    unknown = await api.post(f"/cases/{case}/urgent", "jiedao", {**URGENT, "provider_id": str(uuid.uuid4())})
    assert unknown.json()["code"] == "unknown_provider"
    assert (await api.get(f"/cases/{case}", "jiedao")).json()["urgent"] is None  # refused: nothing written

    await api.ok(f"/cases/{case}/urgent", "xieliyuan", URGENT)
    asked = (await api.get(f"/cases/{case}", "jiedao")).json()
    assert asked["urgent"] == "requested"
    assert "confirm_urgent" in {a["action"] for a in asked["available_actions"]}
    assert case in await _stuck(api)  # the county sees the request too
    assert (await _record(api, case, START.date())).status_code == 404  # not confirmed: no care yet
    twice = await api.post(f"/cases/{case}/urgent", "jiedao", URGENT)
    assert twice.json()["code"] == "urgent_requested"
    foreign = await api.post(f"/cases/{case}/urgent/confirmation", "jiedao2", {})
    assert foreign.status_code == 404

    await clock.advance(timedelta(days=1))
    await _cap(api, 10)  # the county sets its cap (default 30 days)
    try:
        await api.ok(f"/cases/{case}/urgent/confirmation", "jiedao", {"note": "已电话核实"})
    finally:
        await _cap(api, 30)
    care = (await api.get(f"/cases/{case}/urgent", "jiedao")).json()
    assert (care["state"], care["started_on"], care["last_day"]) == ("confirmed", "2026-06-09", "2026-06-18")
    assert (await _record(api, case, date(2026, 6, 8))).json()["code"] == "not_in_service"  # before its start
    assert (await _record(api, case, date(2026, 6, 9))).status_code == 201

    await clock.advance(timedelta(days=11))
    assert (await _record(api, case, date(2026, 6, 18))).status_code == 201  # the cap's last day
    capped = await _record(api, case, date(2026, 6, 19))
    assert (capped.status_code, capped.json()["code"]) == (409, "urgent_care_ended")
    assert "先行救助期满" in capped.json()["message"]
    modes = (await api.get(f"/cases/{case}/modes", "jiedao")).json()["modes"]
    assert [(m["ended_on"], m["end_reason"]) for m in modes] == [("2026-06-18", "先行救助期满")]

async def test_approved_urgent_case_goes_on_and_the_plan_takes_over(urgent: tuple[Api, Clock]) -> None:
    api, clock = urgent
    case = await api.open()
    await api.ok(f"/cases/{case}/urgent", "jiedao", URGENT)  # at registration
    await api.to_survey(case)
    await api.to_review(case)
    await api.to_referral(case)  # approved: referral as usual
    assert case not in await _stuck(api)
    await clock.advance(timedelta(days=2))
    assert (await _record(api, case, date(2026, 6, 10))).status_code == 201  # care goes on until the plan
    await api.ok(f"/cases/{case}/referral", "jiedao", {"provider_id": PROVIDER_B})
    await api.ok(f"/cases/{case}/referral/response", "fuwu2", {"accept": True})
    await api.ok(f"/cases/{case}/plan", "fuwu2", {**PLAN, "starts_on": "2026-06-12"})
    assert (await _record(api, case, date(2026, 6, 11))).status_code == 201  # the day before the plan
    handed = await _record(api, case, date(2026, 6, 12))
    assert (handed.status_code, handed.json()["code"]) == (409, "urgent_care_ended")
    assert "转入正式服务方案" in handed.json()["message"]
    await clock.advance(timedelta(days=2))
    assert (await _record(api, case, date(2026, 6, 12), user="fuwu2")).status_code == 201  # the plan's provider
    modes = (await api.get(f"/cases/{case}/modes", "jiedao")).json()["modes"]
    assert [(m["summary"], m["ended_on"]) for m in modes] == [
        ("转介承接，按服务协议提供服务、按月结算", None), ("先行救助短期照料", "2026-06-11")]
