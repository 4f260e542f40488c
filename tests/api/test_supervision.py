"""The supervisor's view through HTTP: every stuck reason, the inbox, bulk reassign, both exports, and the
jurisdiction limits on each."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from openpyxl import load_workbook
from sqlalchemy import update

from activities.deadlines.escalation import EscalationActivities
from devstack.seed import user_id
from infra.db import Sessions
from models.payloads.jobs import EscalateInput
from models.tables import CASES
from tests.flow import Api, new_person
from vocabulary.case import Rung
from vocabulary.china import CHINA
from workflows.visibility import SA_COUNTY, SA_DUE, SA_PROVISIONAL, SA_STEP, case_workflow_id


async def _set(sessions: Sessions, case: str, **values: Any) -> None:
    async with sessions.begin() as s:
        await s.execute(update(CASES).where(CASES.c.id == case).values(**values))


async def _ids(api: Api, user: str, **params: Any) -> list[str]:
    r = await api.get("/supervision/stuck", user, limit=200, **params)
    assert r.status_code == 200, r.text
    return [c["id"] for c in r.json()["items"]]


async def test_every_stuck_reason_sorted_by_lateness_within_jurisdiction(api: Api, sessions: Sessions) -> None:
    today = api.today
    late, later, soon, idle, blocked = [await api.walk(until="survey") for _ in range(5)]
    await _set(sessions, late, due_on=today - timedelta(days=3))
    # 60 days back hold at least 30 working days on any calendar (the longest holidays are 8-9 days).
    await _set(sessions, later, due_on=today - timedelta(days=60))
    await _set(sessions, soon, due_on=today)
    await _set(sessions, idle, updated_at=datetime.now(UTC) - timedelta(days=40))
    await _set(sessions, blocked, blocked_at=datetime.now(UTC), blocked_reason="escalate: 数据库不可用")

    overdue = await _ids(api, "jiedao", reason="overdue")
    assert overdue.index(later) < overdue.index(late)  # the latest first
    assert soon not in overdue and idle not in overdue
    page = (await api.get("/supervision/stuck", "jiedao", reason="overdue", limit=200)).json()
    worst = next(c for c in page["items"] if c["id"] == later)
    assert worst["working_days"] >= 30 and worst["step_zh"] == "入户调查" and worst["person_name"]
    assert soon in await _ids(api, "jiedao", reason="due_soon", working_days=2)
    assert idle in await _ids(api, "minzheng", reason="idle", working_days=10)
    assert blocked in await _ids(api, "shenji", reason="blocked")
    assert later in await _ids(api, "minzheng", reason="overdue", township_code="341702001", step="survey")
    assert later not in await _ids(api, "minzheng", reason="overdue", step="review")

    assert later not in await _ids(api, "jiedao2", reason="overdue")
    assert (await api.get("/supervision/stuck", "xieliyuan", reason="overdue")).status_code == 403
    assert (await api.get("/supervision/stuck", "fuwu", reason="blocked")).status_code == 403


async def test_exports_are_exactly_the_filtered_view(api: Api, sessions: Sessions) -> None:
    case = await api.walk(until="survey")
    await _set(sessions, case, due_on=api.today - timedelta(days=5))
    listed = await _ids(api, "jiedao", reason="overdue")
    r = await api.http.get("/supervision/stuck/export", params={"reason": "overdue", "format": "csv"},
                           headers=api.headers("jiedao"))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["案件编号", "关注原因", "服务对象"]
    assert [row[0] for row in rows[1:]] == listed
    assert all(row[1] == "已逾期" for row in rows[1:])

    x = await api.http.get("/supervision/stuck/export", params={"reason": "overdue", "format": "xlsx"},
                           headers=api.headers("jiedao"))
    sheet = load_workbook(io.BytesIO(x.content)).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "案件编号" and [v[0] for v in values[1:]] == listed
    other = await api.http.get("/supervision/stuck/export", params={"reason": "overdue", "format": "csv"},
                               headers=api.headers("jiedao2"))
    assert case not in other.content.decode("utf-8-sig")


async def test_task_inbox_shows_what_waits_on_each_user(api: Api) -> None:
    review = await api.walk(until="review")  # registered by 王办事: assigned to him
    survey = await api.walk(until="survey")  # waits on the village assistants of the village
    with_provider = await api.walk(until="service")
    mine = {c["id"]: c for c in (await api.get("/inbox/tasks", "jiedao", limit=200)).json()["items"]}
    assert review in mine and survey not in mine and mine[review]["due_on"] is not None
    assert survey in {c["id"] for c in (await api.get("/inbox/tasks", "xieliyuan", limit=200)).json()["items"]}
    assert with_provider in {c["id"] for c in (await api.get("/inbox/tasks", "fuwu", limit=200)).json()["items"]}
    assert with_provider not in {c["id"] for c in (await api.get("/inbox/tasks", "fuwu2", limit=200)).json()["items"]}
    assert review not in {c["id"] for c in (await api.get("/inbox/tasks", "jiedao2", limit=200)).json()["items"]}


async def test_notifications_reach_the_right_people_and_can_be_read(api: Api, sessions: Sessions) -> None:
    case = await api.walk(until="survey")
    state = await api.state(case)
    plan = state.deadline
    assert plan is not None
    escalate = EscalationActivities(sessions).escalate
    for rung in (Rung.REMINDER, Rung.DUE, Rung.OVERDUE):
        await escalate(EscalateInput(case_id=case, deadline=plan, rung=rung, at=datetime.now(UTC)))
    await escalate(EscalateInput(case_id=case, deadline=plan, rung=Rung.DUE, at=datetime.now(UTC)))  # again

    def of_case(items: list[dict[str, Any]]) -> list[str]:
        return sorted(n["rung"] for n in items if n["case_id"] == case)

    assert of_case((await api.get("/inbox/notifications", "xieliyuan", limit=200)).json()) == ["reminder"]
    lead = (await api.get("/inbox/notifications", "jiedaolead", limit=200)).json()
    assert of_case(lead) == ["due"]  # once, however often the rung was attempted
    assert "入户调查" in next(n for n in lead if n["case_id"] == case)["message"]
    assert of_case((await api.get("/inbox/notifications", "jiedao", limit=200)).json()) == []
    assert of_case((await api.get("/inbox/notifications", "minzheng", limit=200)).json()) == ["overdue"]
    assert of_case((await api.get("/inbox/notifications", "jiedao2", limit=200)).json()) == []

    due = next(n for n in lead if n["case_id"] == case)
    assert (await api.http.post(f"/inbox/notifications/{due['id']}/read",
                                headers=api.headers("jiedaolead"))).status_code == 204
    unread = (await api.get("/inbox/notifications", "jiedaolead", unread=True, limit=200)).json()
    assert due["id"] not in {n["id"] for n in unread}
    stranger = await api.http.post(f"/inbox/notifications/{due['id']}/read", headers=api.headers("jiedao2"))
    assert stranger.status_code == 404


async def test_bulk_reassign_by_a_lead(api: Api) -> None:
    a, b = await api.walk(until="review"), await api.walk(until="review")
    lead = str(user_id("jiedaolead"))
    other_township = await api.open(user="jiedao2", person=new_person(village="341702002001"))
    body = {"case_ids": [a, b, other_township], "assignee_id": lead, "reason": "王办事休假"}
    reply = await api.http.post("/supervision/reassign", json=body, headers=api.headers("jiedaolead"))
    out = {r["case_id"]: r for r in reply.json()}
    assert out[a]["ok"] and out[b]["ok"]
    assert (out[other_township]["ok"], out[other_township]["code"]) == (False, "case_not_found")
    assert (await api.get(f"/cases/{a}", "jiedao")).json()["assignee_id"] == lead
    assert a in {c["id"] for c in (await api.get("/inbox/tasks", "jiedaolead", limit=200)).json()["items"]}
    plain = await api.http.post("/supervision/reassign", json={**body, "case_ids": [a]},
                                headers=api.headers("jiedao"))
    assert plain.json()[0]["code"] == "wrong_role"  # only a lead or the county reassigns


async def test_deadline_endpoints_and_roles(api: Api) -> None:
    case = await api.walk(until="survey")
    before = (await api.get(f"/cases/{case}", "jiedao")).json()["due_on"]
    assert (await api.post(f"/cases/{case}/deadline/extension", "jiedao",
                           {"working_days": 3, "reason": "x"})).status_code == 403
    extended = await api.ok(f"/cases/{case}/deadline/extension", "minzheng",
                            {"working_days": 3, "reason": "申请人外出务工，约定下周入户"})
    assert extended["due_on"] > before
    again = await api.post(f"/cases/{case}/deadline/extension", "minzheng", {"working_days": 1, "reason": "再延"})
    assert (again.status_code, again.json()["code"]) == (409, "already_extended")
    paused = await api.ok(f"/cases/{case}/deadline/suspension", "jiedao", {"reason": "等待申请人出院"})
    detail = (await api.get(f"/cases/{case}", "jiedao")).json()
    assert detail["deadline_suspended"] and paused["due_on"] == extended["due_on"]
    assert (await api.post(f"/cases/{case}/deadline/suspension", "jiedao", {"reason": "x"})).status_code == 409
    resumed = await api.ok(f"/cases/{case}/deadline/resumption", "jiedao", {})
    assert resumed["due_on"] >= extended["due_on"]
    actions = [h["action"] for h in (await api.get(f"/cases/{case}", "jiedao")).json()["history"]]
    assert actions[-3:] == ["extend_deadline", "suspend_deadline", "resume_deadline"]


async def test_search_attributes_match_the_projection(api: Api) -> None:
    village = "341702001002"
    opened = [await api.open(person=new_person(village=village)) for _ in range(3)]
    await api.to_survey(opened[0])
    await api.to_survey(opened[1])
    by_api = {c["id"] for c in (await api.get("/cases", "jiedao", village_code=village, step="survey",
                                              status="open", limit=200)).json()["items"]}
    assert set(opened[:2]) <= by_api
    query = "AssistTownship = '341702001' AND AssistStep = 'survey' AND ExecutionStatus = 'Running'"
    wanted = {case_workflow_id(UUID(c)) for c in by_api}
    found: set[str] = set()
    for _ in range(40):  # visibility is eventually consistent
        found = {wf.id async for wf in api.temporal.list_workflows(query)}
        if wanted <= found:
            break
        await asyncio.sleep(0.25)
    assert wanted <= found
    assert case_workflow_id(UUID(opened[2])) not in found
    described = await api.temporal.get_workflow_handle(case_workflow_id(UUID(opened[0]))).describe()
    attrs = described.typed_search_attributes
    detail = (await api.get(f"/cases/{opened[0]}", "jiedao")).json()
    assert attrs.get(SA_STEP) == detail["step"] and attrs.get(SA_COUNTY) == detail["county_code"]
    due = attrs.get(SA_DUE)
    assert due is not None and due.astimezone(CHINA).date().isoformat() == detail["due_on"]
    assert attrs.get(SA_PROVISIONAL) == detail["due_provisional"]


async def test_summary_counts_and_step_durations(api: Api) -> None:
    walked = [await api.walk(until="referral") for _ in range(2)]
    # The steps finished "now"; a day either side keeps a walk across midnight in the window.
    since, until = (api.today - timedelta(days=1)).isoformat(), (api.today + timedelta(days=1)).isoformat()
    r = await api.get("/supervision/summary", "minzheng", since=since, until=until)
    assert r.status_code == 200, r.text
    body = r.json()
    counts = {(c["township_code"], c["step"]): c["open_cases"] for c in body["counts"]}
    assert counts[("341702001", "referral")] >= len(walked)
    durations = {(d["township_code"], d["step"]): d for d in body["durations"]}
    survey = durations[("341702001", "survey")]
    assert survey["finished"] >= 2 and 0 <= survey["p50_days"] <= survey["p90_days"] < 1
    other = (await api.get("/supervision/summary", "jiedao2", since=since, until=until)).json()
    assert all(c["township_code"] == "341702002" for c in other["counts"] + other["durations"])
    backwards = await api.get("/supervision/summary", "minzheng", since=since, until="2020-01-01")
    assert backwards.status_code == 422
