"""慈善救济服务 (001 三(六)7): the county refers a list of recipients to a charity organisation (once per
Idempotency-Key), records what the organisation reports it delivered — visits, donated goods with their value,
volunteer hours — and its closing report, which ends the mode on each recipient's case. No public money; a
township reads only its own recipients' lines, and other counties find nothing."""

from __future__ import annotations

import uuid
from datetime import datetime

from infra.db import Sessions
from tests import oracle
from tests.api.conftest import Http
from tests.world import World, add_cases
from vocabulary.case import Role


async def test_a_charity_referral_with_its_report(http: Http, sessions: Sessions, world: World) -> None:
    async with sessions.begin() as s:
        (here,) = await add_cases(s, world, 1)
        (there,) = await add_cases(s, world, 1, village=world.other_village)
    officer = world.officer
    org = await http.ok("POST", "/charity-organisations", officer, {"name": "县慈善总会"})
    assert (await http.post("/charity-organisations", officer, {"name": "县慈善总会"})).status_code == 200
    body = {"organisation_id": org["id"], "case_ids": [str(here), str(there)], "note": "冬季送温暖"}
    made = await http.post("/charity-referrals", officer, body, key="charity-1")
    assert made.status_code == 201, made.text
    referral = made.json()
    assert (referral["recipients"], referral["status_zh"], referral["organisation_name"]) == (2, "已转介", "县慈善总会")
    assert (await http.post("/charity-referrals", officer, body, key="charity-1")).json()["id"] == referral["id"]
    twice = await http.post("/charity-referrals", officer, {**body, "case_ids": [str(here), str(here)]})
    assert (twice.status_code, twice.json()["code"]) == (422, "duplicate_case")
    foreign_case = await http.post("/charity-referrals", officer, {**body, "case_ids": [str(uuid.uuid4())]})
    assert foreign_case.status_code == 404

    today = datetime.now(oracle.CHINA).date().isoformat()
    path = f"/charity-referrals/{referral['id']}"
    deliveries = [
        {"case_id": str(here), "delivered_on": today, "kind": "visit", "content": "慈善走访慰问"},
        {"case_id": str(here), "delivered_on": today, "kind": "goods", "content": "棉被一床、冬衣两件",
         "goods_value": "380.00"},
        {"case_id": str(there), "delivered_on": today, "kind": "volunteer", "content": "义工上门打扫",
         "volunteer_hours": "3"},
    ]
    for n, d in enumerate(deliveries):
        assert (await http.post(f"{path}/deliveries", officer, d, key=f"d-{n}")).status_code == 201
    assert (await http.post(f"{path}/deliveries", officer, deliveries[1], key="d-1")).status_code == 200
    no_value = await http.post(f"{path}/deliveries", officer, {**deliveries[1], "goods_value": None})
    assert (no_value.status_code, no_value.json()["message"]) == (422, "捐赠物资请填写折合价值（元）")
    off_list = await http.post(f"{path}/deliveries", officer, {**deliveries[0], "case_id": str(uuid.uuid4())})
    assert (off_list.status_code, off_list.json()["code"]) == (422, "not_on_list")
    assert (await http.post(f"{path}/deliveries", world.township_worker, deliveries[0])).status_code == 403

    seen = await http.ok("GET", path, officer)
    assert (seen["deliveries"], seen["goods_value"], seen["volunteer_hours"]) == (3, "380.00", "3.0")
    assert [line["deliveries"] for line in seen["lines"]] == [2, 1]
    mine = await http.ok("GET", path, world.township_worker)  # the township reads its own recipient only
    assert ([line["case_id"] for line in mine["lines"]], mine["goods_value"]) == ([str(here)], "380.00")
    modes = (await http.ok("GET", f"/cases/{here}/modes", world.township_worker))["modes"]
    assert [(m["mode_name"], m["party_name"], m["paid_by_settlement"]) for m in modes][1:] == [
        ("慈善救济服务", "县慈善总会", False)]

    for stranger in (world.actor(Role.COUNTY_OFFICER, "349999"), world.actor(Role.PROVIDER, provider=world.provider_a),
                     world.actor(Role.VILLAGE_ASSISTANT)):
        foreign, absent = await http.get(path, stranger), await http.get(f"/charity-referrals/{uuid.uuid4()}", stranger)
        assert foreign.status_code == absent.status_code == 404 and foreign.json() == absent.json()
    assert await http.ok("GET", "/charity-referrals", world.actor(Role.COUNTY_OFFICER, "349999")) == []

    closing = {"service_plan": "冬季送温暖：走访、棉被冬衣、义工保洁",
               "summary": "走访1户，发放物资价值380元，义工服务3小时"}
    done = await http.ok("POST", f"{path}/report", officer, closing)
    assert done["status_zh"] == "慈善组织已反馈"
    assert (await http.ok("POST", f"{path}/report", officer, closing))["id"] == referral["id"]
    late = await http.post(f"{path}/deliveries", officer, deliveries[0])
    assert (late.status_code, late.json()["code"]) == (409, "charity_reported")
    modes = (await http.ok("GET", f"/cases/{there}/modes", officer))["modes"]
    assert (modes[1]["ended_on"], modes[1]["end_reason"]) == (today, "慈善组织已反馈服务情况")
