"""Loading a year's holiday schedule and a county's deadline rules through HTTP."""

from __future__ import annotations

import asyncio
from datetime import date, datetime

from sqlalchemy import delete

from activities.deadlines.plan import forget_calendar
from infra.db import Sessions
from models.deadline_tables import CALENDAR_DAYS, CALENDAR_YEARS
from policy.workdays import calendar
from tests.flow import Api
from vocabulary.china import CHINA

SPRING_2027 = {"notice": "国务院办公厅关于2027年部分节假日安排的通知（测试）",
               "holidays": ["2027-01-01", "2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08", "2027-02-09",
                            "2027-02-10", "2027-02-11"],
               "workdays": ["2027-02-13"]}


async def test_county_officer_loads_a_year_and_it_takes_precedence(api: Api, sessions: Sessions) -> None:
    shipped = (await api.get("/calendar/2026", "jiedao")).json()
    assert shipped["source"] == "shipped" and "2026-10-01" in shipped["holidays"]
    year = next(y for y in range(2026, 2100) if not calendar().published(y))
    assert (await api.get(f"/calendar/{year}", "jiedao")).json()["source"] == "unpublished"
    body = {**SPRING_2027, "holidays": [d.replace("2027", str(year)) for d in SPRING_2027["holidays"]],
            "workdays": [f"{year}-02-13"] if date(year, 2, 13).weekday() >= 5 else []}
    try:
        assert (await api.http.put(f"/calendar/{year}", json=body, headers=api.headers("jiedao"))).status_code == 403
        wrong = {**body, "workdays": [f"{year}-03-03"] if date(year, 3, 3).weekday() < 5 else [f"{year}-03-04"]}
        bad = await api.http.put(f"/calendar/{year}", json=wrong, headers=api.headers("minzheng"))
        assert bad.status_code == 422
        other_year = {**body, "holidays": [*body["holidays"], f"{year + 1}-01-01"]}
        assert (await api.http.put(f"/calendar/{year}", json=other_year,
                                   headers=api.headers("minzheng"))).json()["code"] == "wrong_year"
        loaded = await api.http.put(f"/calendar/{year}", json=body, headers=api.headers("minzheng"))
        assert loaded.status_code == 200, loaded.text
        out = loaded.json()
        assert out["source"] == "loaded" and f"{year}-01-01" in out["holidays"]
        run = api.temporal.get_workflow_handle(out["recompute_workflow_id"])
        await asyncio.wait_for(run.result(), 30)  # every provisional case was told to recompute
    finally:
        async with sessions.begin() as s:
            await s.execute(delete(CALENDAR_DAYS).where(CALENDAR_DAYS.c.year == year))
            await s.execute(delete(CALENDAR_YEARS).where(CALENDAR_YEARS.c.year == year))
        forget_calendar()


async def test_county_rules_apply_to_new_deadlines(api: Api) -> None:
    rules = {r["rule"]: r for r in (await api.get("/deadline-rules", "jiedao")).json()}
    assert rules["intake"]["working_days"] == 20 and rules["registration"]["name"] == "受理登记"
    assert (await api.http.put("/deadline-rules", json={"rules": {"registration": 5}},
                               headers=api.headers("jiedao"))).status_code == 403
    unknown = await api.http.put("/deadline-rules", json={"rules": {"lunch": 1}}, headers=api.headers("minzheng"))
    assert unknown.json()["code"] == "unknown_rule"
    try:
        changed = await api.http.put("/deadline-rules", json={"rules": {"registration": 8}},
                                     headers=api.headers("minzheng"))
        assert {r["rule"]: r["working_days"] for r in changed.json()}["registration"] == 8
        forget_calendar()
        case = await api.open()
        detail = (await api.get(f"/cases/{case}", "jiedao")).json()
        opened = datetime.fromisoformat(detail["opened_at"]).astimezone(CHINA).date()
        assert detail["due_on"] == calendar().add(opened, 8).on.isoformat()
    finally:
        await api.http.put("/deadline-rules", json={"rules": {"registration": 3}}, headers=api.headers("minzheng"))
