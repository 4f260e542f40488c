""""党建+救助" (001 三(六)4): the township pairs a party member with a recipient (pairing again is the same
pairing), visits and help are recorded with date and content, the pairing shows on the case and in the county's
overview, and ending it ends the mode; other divisions find it exactly as an absent one."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from infra.db import Sessions
from tests import oracle
from tests.api.conftest import Http
from tests.world import World, add_cases
from vocabulary.case import Role


async def test_a_pairing_with_visits_on_the_case_and_in_the_overview(
    http: Http, sessions: Sessions, world: World,
) -> None:
    async with sessions.begin() as s:
        (case,) = await add_cases(s, world, 1)
    today = datetime.now(oracle.CHINA).date()
    start = today - timedelta(days=20)
    body = {"case_id": str(case), "partner_kind": "member", "partner_name": "王建国", "branch_name": "一号社区党支部",
            "started_on": start.isoformat()}
    worker, assistant = world.township_worker, world.actor(Role.VILLAGE_ASSISTANT)
    assert (await http.post("/party-pairings", assistant, body)).status_code == 403
    made = await http.post("/party-pairings", worker, body)
    assert made.status_code == 201, made.text
    pairing = made.json()
    again = await http.post("/party-pairings", worker, body)
    assert (again.status_code, again.json()["id"]) == (200, pairing["id"])
    path = f"/party-pairings/{pairing['id']}"

    visit = {"visited_on": (start + timedelta(days=3)).isoformat(), "help": "visit", "content": "走访慰问，送米面油"}
    first = await http.post(f"{path}/visits", worker, visit, key="visit-1")
    assert first.status_code == 201, first.text
    assert (await http.post(f"{path}/visits", worker, visit, key="visit-1")).status_code == 200  # one visit
    await http.ok("POST", f"{path}/visits", assistant,
                  {"visited_on": (start + timedelta(days=10)).isoformat(), "help": "care", "content": "帮助整理房间"})
    early = await http.post(f"{path}/visits", worker, {**visit, "visited_on": (start - timedelta(days=1)).isoformat()})
    assert (early.status_code, early.json()["code"]) == (422, "visit_out_of_pairing")
    wrong = await http.post(f"{path}/visits", worker, {**visit, "help": "money"})
    assert wrong.status_code == 422 and "取值不在允许范围内" in wrong.text
    seen = await http.ok("GET", path, assistant)
    assert (seen["visit_count"], [v["help_zh"] for v in seen["visits"]]) == (2, ["走访慰问", "生活关心"])

    modes = (await http.ok("GET", f"/cases/{case}/modes", worker))["modes"]
    assert [(m["mode_name"], m["party_name"]) for m in modes][1:] == [("“党建+救助”服务", "王建国（一号社区党支部）")]
    overview = await http.ok("GET", "/oversight/overview", world.officer, year=today.year)
    if start.year == today.year:
        party = overview["party_building"]
        assert (party["pairings"], party["persons_paired"], party["visits"]) == (1, 1, 2)
        assert party["visits_by_help"]["走访慰问"] == 1

    for stranger in (world.actor(Role.TOWNSHIP_WORKER, world.other_township),
                     world.actor(Role.VILLAGE_ASSISTANT, world.other_village),
                     world.actor(Role.PROVIDER, provider=world.provider_a)):
        foreign, absent = await http.get(path, stranger), await http.get(f"/party-pairings/{uuid.uuid4()}", stranger)
        assert foreign.status_code == absent.status_code == 404 and foreign.json() == absent.json()
        assert (await http.post(f"{path}/visits", stranger, visit)).status_code == 404
    assert await http.ok("GET", "/party-pairings", world.actor(Role.TOWNSHIP_WORKER, world.other_township)) == []
    foreign_pair = await http.post("/party-pairings", world.actor(Role.TOWNSHIP_WORKER, world.other_township),
                                   {**body, "partner_name": "李四"})
    assert foreign_pair.status_code == 404  # another township's recipient: as if absent

    ended = await http.ok("POST", f"{path}/end", worker, {"ended_on": today.isoformat(), "reason": "党员工作调动"})
    assert (ended["ended_on"], ended["end_reason"]) == (today.isoformat(), "党员工作调动")
    modes = (await http.ok("GET", f"/cases/{case}/modes", worker))["modes"]
    assert (modes[1]["ended_on"], modes[1]["end_reason"]) == (today.isoformat(), "党员工作调动")
    renewed = await http.post("/party-pairings", worker, {**body, "started_on": today.isoformat()})
    assert renewed.status_code == 201 and renewed.json()["id"] != pairing["id"]  # a new pairing after the end


async def test_overview_counts_only_the_year_and_the_county(http: Http, sessions: Sessions, world: World) -> None:
    async with sessions.begin() as s:
        (case,) = await add_cases(s, world, 1)
    await http.ok("POST", "/party-pairings", world.township_worker, {
        "case_id": str(case), "partner_kind": "branch", "partner_name": "一号社区党支部",
        "started_on": date(2025, 3, 1).isoformat()})
    assert (await http.ok("GET", "/oversight/overview", world.officer, year=2024))["party_building"]["pairings"] == 0
    assert (await http.ok("GET", "/oversight/overview", world.officer, year=2025))["party_building"] == {
        "pairings": 1, "pairings_started": 1, "persons_paired": 1, "visits": 0,
        "visits_by_help": {"走访慰问": 0, "物资救济": 0, "生活关心": 0, "思想解惑": 0}}
