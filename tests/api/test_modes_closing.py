"""A case's end ends the modes serving the person (activities/modes/closing.py): a recipient with a party pairing and
a neighbour pairing dies, or the township stops services at the person's request; the case's modes show both ended
on the last day served with the outcome's words, and the neighbour helper's village can no longer record a service
after it (nor the party member a visit, nor the red-vest team a service)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import text

from devstack.seed import VILLAGE
from infra.db import Sessions
from tests.flow import Api


async def _served(api: Api) -> tuple[str, str, str]:
    """A case in dynamic management with a party pairing and a neighbour pairing running for a month."""
    case = await api.walk("dynamic_management")
    month_ago = (api.today - timedelta(days=30)).isoformat()
    party = await api.ok("/party-pairings", "jiedao", {
        "case_id": case, "partner_kind": "member", "partner_name": "王建国", "started_on": month_ago})
    helper = await api.ok("/neighbour/helpers", "jiedao", {
        "name": "李大姐", "village_code": VILLAGE, "trained_on": (api.today - timedelta(days=60)).isoformat(),
        "certificate_no": f"PX-{uuid.uuid4().hex[:8]}", "account_name": "李大姐", "account_no": "6222020000001234",
        "bank_name": "池州农商银行"})
    neighbour = await api.ok(f"/neighbour/helpers/{helper['id']}/pairings", "jiedao",
                             {"case_id": case, "content": "助餐、助洁", "started_on": month_ago})
    return case, party["id"], neighbour["id"]


async def _modes(api: Api, case: str) -> dict[str, Any]:
    return {m["mode_name"]: m for m in (await api.get(f"/cases/{case}/modes", "jiedao")).json()["modes"]}


async def _team_plan(api: Api, case: str) -> Any:
    return await api.ok("/team-plans", "xieliyuan", {
        "case_id": case, "team_name": "杏花村红马夹", "members": [{"role": "assistant", "name": "协理员"}],
        "assessment": "独居", "plan": "每周探访"})


def _team(day: Any) -> dict[str, Any]:
    return {"served_on": day.isoformat(), "worker_role": "volunteer", "worker_name": "张志愿", "kind": "integration",
            "content": "陪同参加社区活动", "hours": "1"}


def _service(day: Any) -> dict[str, Any]:
    return {"served_on": day.isoformat(), "content": "上门助洁", "count": 1, "minutes": 60}


async def test_a_death_ends_the_pairings_on_the_day_of_death(api: Api, sessions: Sessions) -> None:
    case, party, neighbour = await _served(api)
    plan = await _team_plan(api, case)
    async with sessions.begin() as s:  # the plan was made a month ago (plans start the day they are made)
        await s.execute(text("UPDATE case_modes SET started_on = started_on - 30 WHERE source_id = :id"),
                        {"id": plan["id"]})
    died = api.today - timedelta(days=2)
    await api.ok(f"/neighbour/pairings/{neighbour}/records", "xieliyuan", _service(died))
    event = await api.post(f"/cases/{case}/status-events", "xieliyuan", {
        "change": "death", "effective_on": died.isoformat(), "evidence": "村委会出具死亡证明"})
    assert event.status_code == 202, event.text
    for _ in range(100):  # the event reaches the case and closes it
        if (await api.get(f"/cases/{case}", "jiedao")).json()["status"] == "closed":
            break
        await asyncio.sleep(0.1)
    modes = await _modes(api, case)
    for name in ("“党建+救助”服务", "邻里互助服务", "政府购买服务"):
        assert modes[name]["ended_on"] is not None, (name, modes[name])
    for name in ("“党建+救助”服务", "邻里互助服务", "社工志愿服务"):  # paid through the day of death, as the plan is
        assert (modes[name]["ended_on"], modes[name]["end_reason"]) == (died.isoformat(), "服务对象死亡，终止服务")

    after = await api.post(f"/neighbour/pairings/{neighbour}/records", "xieliyuan", _service(api.today))
    assert (after.status_code, after.json()["message"]) == (422, "服务日期不在结对期间内")
    pairing = (await api.get("/neighbour/pairings", "jiedao", case_id=case)).json()[0]
    assert (pairing["ended_on"], pairing["end_reason"]) == (died.isoformat(), "服务对象死亡，终止服务")
    visit = await api.post(f"/party-pairings/{party}/visits", "jiedao",
                           {"visited_on": api.today.isoformat(), "help": "visit", "content": "走访慰问"})
    assert visit.status_code == 422, visit.text
    team = await api.post(f"/team-plans/{plan['id']}/services", "xieliyuan", _team(api.today))
    assert (team.status_code, team.json().get("code")) == (409, "mode_ended"), team.text
    assert (await api.post(f"/team-plans/{plan['id']}/services", "xieliyuan", _team(died))).status_code == 201


async def test_services_stopped_at_the_persons_request_end_the_pairings(api: Api) -> None:
    case, _, neighbour = await _served(api)
    plan = await _team_plan(api, case)
    effective = api.today + timedelta(days=10)  # services stop from that day: the day before is the last
    stopped = await api.ok(f"/cases/{case}/stop", "jiedao", {
        "reason": "本人申请停止服务，由子女接回照料", "requested_on": api.today.isoformat(), "signed_request": True,
        "effective_on": effective.isoformat()})
    assert (stopped["status"], stopped["outcome"]) == ("closed", "stopped")
    modes = await _modes(api, case)
    last = (effective - timedelta(days=1)).isoformat()
    for name in ("“党建+救助”服务", "邻里互助服务", "社工志愿服务"):
        assert (modes[name]["ended_on"], modes[name]["end_reason"]) == (last, "动态管理停止服务")
    # Until the last day the helper's services are still recorded; after it they are not.
    assert (await api.post(f"/neighbour/pairings/{neighbour}/records", "xieliyuan",
                           _service(api.today))).status_code == 201
    assert (await api.post(f"/team-plans/{plan['id']}/services", "xieliyuan", _team(api.today))).status_code == 201
    ended = await api.post(f"/neighbour/pairings/{neighbour}/end", "jiedao",
                           {"ended_on": api.today.isoformat(), "reason": "再次结束"})
    assert ended.json()["ended_on"] == last  # the closure's end stands
