"""The lists of 动态管理 the console shows: the county's roster imports (counts and status, newest first) and the
status events of a jurisdiction (身份变动) with their filters. Each list carries only its asker's rows; another
county's import answers like an absent one; neither list carries an ID number."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import insert

from devstack.seed import OTHER_VILLAGE, user_id
from infra.db import Sessions
from models.dynamic.tables import ROSTER_IMPORTS, STATUS_EVENTS
from tests.api.test_dynamic import csv_of, finished, upload
from tests.flow import Api, new_person

FOREIGN_VILLAGE = "341703001001"  # another county


async def test_roster_imports_are_listed_newest_first_without_names(api: Api, sessions: Sessions) -> None:
    person = new_person(name="冯名单")
    day = api.today.isoformat()
    row = ("冯名单", person["id_number"], person["village_code"], "特困人员", "新增", day)
    first = await upload(api, csv_of([row]), name="冯名单.csv")
    second = await upload(api, csv_of([("冯名单", "123", person["village_code"], "特困人员", "新增", day)]))
    for job in (first, second):
        await finished(api, job.json()["id"])
    foreign = uuid.uuid4()
    async with sessions.begin() as s:  # an import of another county: never in this county's list
        await s.execute(insert(ROSTER_IMPORTS).values(
            id=foreign, county_code="341703", jurisdiction="341703", filename="外县.csv", sha256="f" * 64,
            content=b"x", status="done", imported_by=user_id("minzheng"), created_at=datetime.now(UTC)))

    page = (await api.get("/dynamic/roster-imports", "minzheng", limit=2)).json()
    assert page["total"] >= 2 and [i["id"] for i in page["items"]] == [second.json()["id"], first.json()["id"]]
    newest = page["items"][0]
    assert (newest["status_zh"], newest["bad_rows"], newest["has_errors_file"]) == ("已完成", 1, True), newest
    assert page["items"][1]["good_rows"] == 1 and page["items"][1]["has_errors_file"] is False
    everything = str((await api.get("/dynamic/roster-imports", "shenji", limit=200)).json())
    assert first.json()["id"] in everything  # the county's auditor reads the same list
    assert str(foreign) not in everything and person["id_number"] not in everything and "冯名单" not in everything
    assert (await api.get(f"/dynamic/roster-imports/{foreign}", "minzheng")).status_code == 404
    for user in ("jiedao", "xieliyuan", "fuwu"):
        assert (await api.get("/dynamic/roster-imports", user)).status_code == 403, user


async def _event(sessions: Sessions, person_id: str, case_id: str | None, village: str, change: str,
                 source: str, on: date, taken: bool) -> str:
    event = uuid.uuid4()
    async with sessions.begin() as s:
        await s.execute(insert(STATUS_EVENTS).values(
            id=event, business_key=f"test:{event}", person_id=uuid.UUID(person_id),
            case_id=uuid.UUID(case_id) if case_id else None, change=change, source=source, effective_on=on,
            evidence="村委会证明", village_code=village, recorded_by=user_id("minzheng"),
            recorded_at=datetime.now(UTC), case_seq=3 if taken else None))
    return str(event)


async def test_status_events_of_a_jurisdiction_with_filters(api: Api, sessions: Sessions) -> None:
    mine, theirs = new_person(name="褚变动"), new_person(village=OTHER_VILLAGE, name="卫变动")
    case, other = await api.open(person=mine), await api.open("jiedao2", theirs)
    person = (await api.get(f"/cases/{case}", "jiedao")).json()["person_id"]
    other_person = (await api.get(f"/cases/{other}", "jiedao2")).json()["person_id"]
    r = await api.post(f"/cases/{case}/status-events", "xieliyuan", {
        "change": "death", "effective_on": api.today.isoformat(), "evidence": "死亡证明"})
    assert r.status_code == 202, r.text
    by_hand = r.json()
    day = date(2026, 3, 1)
    roster = await _event(sessions, person, None, mine["village_code"], "category_changed", "roster", day, True)
    township_b = await _event(sessions, other_person, other, OTHER_VILLAGE, "death", "manual", day, False)
    county_b = await _event(sessions, other_person, None, FOREIGN_VILLAGE, "death", "manual", day, False)

    async def ids(user: str, **filters: Any) -> list[str]:
        r = await api.get("/dynamic/status-events", user, limit=200, **filters)
        assert r.status_code == 200, r.text
        assert mine["id_number"] not in r.text and theirs["id_number"] not in r.text
        return [e["id"] for e in r.json()["items"]]

    township = await ids("jiedao")
    assert by_hand["id"] in township and roster in township and township_b not in township
    assert county_b not in township and township.index(roster) < township.index(by_hand["id"])  # newest first
    assert township_b not in await ids("xieliyuan") and by_hand["id"] in await ids("xieliyuan")
    assert by_hand["id"] not in await ids("xieliyuan2") and township_b in await ids("jiedao2")
    county = await ids("minzheng")
    assert {by_hand["id"], roster, township_b} <= set(county) and county_b not in county
    assert county_b not in await ids("shenji")

    assert roster not in await ids("jiedao", change="death") and by_hand["id"] in await ids("jiedao", change="death")
    assert await ids("minzheng", source="roster", effective_from="2026-03-01", effective_to="2026-03-01") == [roster]
    assert roster in await ids("jiedao", taken_in="true") and township_b in await ids("minzheng", taken_in="false")
    assert roster not in await ids("jiedao", effective_from=(day + timedelta(days=1)).isoformat())
    row = next(e for e in (await api.get("/dynamic/status-events", "jiedao", limit=200)).json()["items"]
               if e["id"] == by_hand["id"])
    assert (row["person_name"], row["change_zh"], row["source_zh"], row["case_id"]) == (
        "褚变动", "死亡", "工作人员录入", case)
    page = (await api.get("/dynamic/status-events", "minzheng", limit=1, offset=1)).json()
    assert len(page["items"]) == 1 and page["total"] >= 3
    bad = await api.get("/dynamic/status-events", "jiedao", effective_from="2026-03-02", effective_to="2026-03-01")
    assert (bad.status_code, bad.json()["code"]) == (422, "bad_date_range") and "起始日期" in bad.json()["message"]
    for user in ("fuwu", "zhangsan"):
        assert (await api.get("/dynamic/status-events", user)).status_code == 403, user
