"""The lists of 动态管理 in the console: the county officer's roster imports (counts and status, each linking to its
result) and a township's 身份变动, each row linking to its case."""

from __future__ import annotations

import time
from typing import Any

import httpx
from playwright.sync_api import expect

from tests.web.conftest import token
from tests.web.scene import new_id_number, open_case, person_name, today


def test_the_county_officer_lists_roster_imports_and_opens_a_result(people: Any, http: httpx.Client) -> None:
    row = f"{person_name()},{new_id_number()},341702001001,特困人员,新增,{today().isoformat()}\n"
    header = "姓名,身份证号码,村(社区)代码,救助类别,变动类型,变动日期\n"
    data = header + row + "错误行,123,341702001001,特困人员,新增,x\n"
    sent = http.post("/dynamic/roster-imports", headers=token(http, "minzheng"),
                     files={"file": ("名单.csv", data.encode("utf-8-sig"), "text/csv")})
    assert sent.status_code == 202, sent.text
    for _ in range(100):
        job = http.get(f"/dynamic/roster-imports/{sent.json()['id']}", headers=token(http, "minzheng")).json()
        if job["status"] == "done":
            break
        time.sleep(0.2)
    officer = people("minzheng")
    page = officer.go("/dynamic/roster")
    imports = page.locator("[data-test=roster-imports] .el-table__body")
    expect(imports.locator("tr").first.locator("[data-test=roster-import-status]")).to_have_text("已完成")
    officer.shot("roster-imports")
    imports.locator("tr").first.locator("[data-test=roster-import-link]").click()
    result = page.locator("[data-test=roster-result]")
    expect(result.locator("[data-test=roster-status]")).to_have_text("已完成")
    expect(result).to_contain_text("下载错误行及原因")
    officer.shot("roster-import-result")


def test_a_township_worker_follows_status_events_to_their_case(people: Any, http: httpx.Client) -> None:
    name = person_name()
    case = open_case(http, name)
    r = http.post(f"/cases/{case}/status-events", headers=token(http, "xieliyuan"), json={
        "change": "moved_out", "effective_on": today().isoformat(), "evidence": "户籍迁出证明"})
    assert r.status_code == 202, r.text
    worker = people("jiedao")
    page = worker.go("/dynamic/status-events")
    events = page.locator("[data-test=status-events] .el-table__body")
    mine = events.locator("tr", has_text=name).first
    expect(mine).to_contain_text("迁出本县")
    worker.pick(page.locator("[data-test=event-change]"), "死亡")
    page.locator("[data-test=event-search]").click()
    expect(events.locator("tr", has_text="户籍迁出证明")).to_have_count(0)  # filtered out
    worker.shot("status-events-filtered")
    worker.go("/dynamic/status-events")
    expect(page.locator("[data-test=status-events]")).to_contain_text(name)
    worker.shot("status-events")
    page.locator("[data-test=status-events] .el-table__body tr", has_text=name).first.locator(
        "[data-test=event-case]").click()
    page.wait_for_url(f"**/cases/{case}")
    expect(page.locator("[data-test=current-step]")).to_be_visible()
