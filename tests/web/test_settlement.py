"""A township approves a provider's monthly statement in the console and downloads the payment file."""

from __future__ import annotations

import time
from typing import Any

import httpx
from playwright.sync_api import expect

from tests.web.conftest import token
from tests.web.scene import person_name, walk_to_archiving

PERIOD = "2026-03"  # a month long past whatever day the test runs; fees and agreements cover it


def statement_for(http: httpx.Client, name: str) -> None:
    """A recipient served in PERIOD, the service confirmed, and the county's run for PERIOD."""
    case = walk_to_archiving(http, name, plan_start=f"{PERIOD}-01")
    fuwu = token(http, "fuwu")
    record = http.post(f"/cases/{case}/service-records", headers=fuwu, json={
        "item_code": "cleaning_aid", "started_at": f"{PERIOD}-10T09:00:00+08:00", "minutes": 120, "quantity": 2,
        "worker_name": "孙社工", "content": "打扫卧室与厨房"})
    assert record.status_code == 201, record.text
    confirmed = http.post(f"/cases/{case}/service-records/{record.json()['id']}/confirmation", headers=fuwu,
                          json={"by": "recipient"})
    assert confirmed.status_code == 200, confirmed.text
    run = http.post("/settlement/runs", headers=token(http, "minzheng"), json={"period": PERIOD})
    assert run.status_code == 202, run.text
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        page = http.get("/statements", headers=token(http, "jiedao"), params={"period": PERIOD}).json()
        if page["items"]:
            return
        time.sleep(0.5)
    raise AssertionError(f"no statement for {PERIOD} after the run")


def test_a_township_approves_a_statement(people: Any, http: httpx.Client) -> None:
    name = person_name()
    statement_for(http, name)

    worker = people("jiedao")
    page = worker.go("/statements")
    row = page.locator("[data-test=statements] .el-table__body tr", has_text=PERIOD)
    expect(row).to_contain_text("待审批")
    worker.shot("statements")
    row.click()
    expect(page.locator("[data-test=lines]")).to_contain_text(name)
    worker.shot("statement-draft")
    page.locator("[data-test=approve]").click()
    page.locator("[data-test=confirm]").click()
    expect(page.locator("[data-test=statement-status]")).to_have_text("已审批")
    with page.expect_download() as download:
        page.locator("[data-test=file-xlsx]").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    worker.shot("statement-approved")
