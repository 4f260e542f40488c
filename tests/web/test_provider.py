"""A provider records a day's services fast (many rows, one submit) and the recipient's confirmation."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.sync_api import expect

from tests.web.scene import person_name, walk_to_archiving, yesterday


def test_a_provider_records_services_and_their_confirmation(people: Any, http: httpx.Client) -> None:
    name = person_name()
    walk_to_archiving(http, name, plan_start=yesterday())

    provider = people("fuwu")
    page = provider.go("/provider/records")
    provider.pick(page.locator("[data-test=pick-case]"), name)
    grid = page.locator("[data-test=service-grid]")
    day = grid.locator(".el-date-editor input").first
    day.fill(yesterday())
    day.press("Enter")
    work = [("09:00", "打扫卧室与厨房"), ("10:30", "清洗衣物、晾晒"), ("14:00", "上门探访，了解近况")]
    for i, (time, content) in enumerate(work):
        if i:
            grid.locator(f"[data-test=content-{i - 1}]").press("Enter")  # Enter in the last row adds a row
            provider.pick(grid.locator(f"[data-test=time-{i}]"), time)
        grid.locator(f"[data-test=content-{i}]").fill(content)
    provider.shot("service-grid")
    grid.locator("[data-test=submit-records]").click()
    expect(grid.locator("[data-state=ok]")).to_have_count(3)

    records = page.locator("[data-test=service-records] .el-table__body tr")
    expect(records).to_have_count(3)
    first = records.filter(has_text="打扫卧室与厨房")
    first.get_by_role("button", name="录入服务对象签字确认").click()
    expect(first).to_contain_text("服务对象签字确认")
    expect(page.get_by_role("button", name="录入服务对象签字确认")).to_have_count(2)
    provider.shot("service-records-confirmed")
