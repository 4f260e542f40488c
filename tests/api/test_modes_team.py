"""社工志愿服务 (001 三(六)5): the village's 红马夹 team makes one plan per household (a second first plan is
refused, a new version supersedes the current one), records services with volunteer hours under the current
plan, and the totals add up per plan, per household and per village; the case lists the team once."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from infra.db import Sessions
from tests import oracle
from tests.api.conftest import Http
from tests.world import World, add_cases
from vocabulary.case import Role

TEAM = [{"role": "assistant", "name": "李协理"}, {"role": "volunteer", "name": "张志愿"}]


async def test_one_plan_per_household_with_volunteer_hours(http: Http, sessions: Sessions, world: World) -> None:
    async with sessions.begin() as s:
        case, neighbour = await add_cases(s, world, 2)
    assistant = world.actor(Role.VILLAGE_ASSISTANT)
    body = {"case_id": str(case), "team_name": "一号社区红马夹服务队", "members": TEAM,
            "assessment": "独居，行动不便，情绪低落", "plan": "每周上门陪伴一次，每月心理疏导一次"}
    made = await http.post("/team-plans", assistant, body, key="plan-1")
    assert made.status_code == 201, made.text
    first = made.json()
    assert (first["version"], first["status_zh"], first["missing_roles"]) == (1, "现行", ["社会工作者"])
    assert (await http.post("/team-plans", assistant, body, key="plan-1")).json()["id"] == first["id"]
    second = await http.post("/team-plans", assistant, body)
    assert (second.status_code, second.json()["message"]) == (409, "该户已有现行帮扶方案（第1版），请在其基础上修订")
    empty = await http.post("/team-plans", assistant, {**body, "members": []})
    assert empty.status_code == 422 and "members" in empty.text

    today = datetime.now(oracle.CHINA).date()
    service = {"served_on": (today - timedelta(days=2)).isoformat(), "worker_role": "volunteer",
               "worker_name": "张志愿", "kind": "integration", "content": "陪同参加社区活动", "hours": "2.5"}
    path = f"/team-plans/{first['id']}/services"
    assert (await http.post(path, assistant, service, key="svc-1")).status_code == 201
    assert (await http.post(path, assistant, service, key="svc-1")).status_code == 200  # the same service
    bad = await http.post(path, assistant, {**service, "hours": "1.2"})
    assert (bad.status_code, bad.json()["message"]) == (422, "服务时长按半小时计（如1.5）")

    revised = await http.ok("POST", "/team-plans", world.township_worker, {
        **body, "members": [*TEAM, {"role": "social_worker", "name": "赵社工"}], "plan": "增加每月一次能力提升",
        "supersedes": first["id"]})
    assert (revised["version"], revised["first_id"], revised["missing_roles"]) == (2, first["id"], [])
    stale = await http.post(path, assistant, service)
    assert (stale.status_code, stale.json()["code"]) == (409, "plan_superseded")
    again = await http.post("/team-plans", assistant, {**body, "supersedes": first["id"]})
    assert again.json()["message"] == "所修订的帮扶方案已不是现行版本，请刷新后重试"
    await http.ok("POST", f"/team-plans/{revised['id']}/services", assistant,
                  {**service, "worker_role": "social_worker", "worker_name": "赵社工", "kind": "counselling",
                   "content": "心理疏导", "hours": "1"})
    other_plan = await http.ok("POST", "/team-plans", assistant, {**body, "case_id": str(neighbour)})
    await http.ok("POST", f"/team-plans/{other_plan['id']}/services", assistant, {**service, "hours": "3"})

    household = await http.ok("GET", f"/cases/{case}/team-plans", assistant)
    assert (household["current_id"], household["services"], household["hours"]) == (revised["id"], 2, "3.5")
    assert [(p["version"], p["status"], p["hours"]) for p in household["plans"]] == [
        (2, "current", "1.0"), (1, "superseded", "2.5")]
    detail = await http.ok("GET", f"/team-plans/{revised['id']}", assistant)
    assert [(r["worker_role_zh"], r["kind_zh"]) for r in detail["records"]] == [("社会工作者", "心理疏导")]
    villages = await http.ok("GET", "/team-hours", world.township_worker)
    assert [(v["village_code"], v["village_name"], v["households"], v["services"], v["hours"]) for v in villages] == [
        (world.village, "一号社区", 2, 3, "6.5")]
    modes = (await http.ok("GET", f"/cases/{case}/modes", assistant))["modes"]
    assert [(m["mode_name"], m["party_name"]) for m in modes][1:] == [("社工志愿服务", "一号社区红马夹服务队")]

    for stranger in (world.actor(Role.VILLAGE_ASSISTANT, world.other_village),
                     world.actor(Role.TOWNSHIP_WORKER, world.other_township),
                     world.actor(Role.PROVIDER, provider=world.provider_a)):
        foreign = await http.get(f"/team-plans/{first['id']}", stranger)
        absent = await http.get(f"/team-plans/{uuid.uuid4()}", stranger)
        assert foreign.status_code == absent.status_code == 404 and foreign.json() == absent.json()
        assert (await http.post(path, stranger, service)).status_code == 404
    assert await http.ok("GET", "/team-hours", world.actor(Role.VILLAGE_ASSISTANT, world.other_village)) == []
