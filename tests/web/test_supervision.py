"""A supervisor finds an overdue case in the stuck view and reassigns it; the case shows its new holder."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from playwright.sync_api import expect
from sqlalchemy import create_engine, text

from infra.db import sync_url
from tests.web.scene import open_case, person_name, today


def test_a_supervisor_reassigns_an_overdue_case(people: Any, http: httpx.Client, database_url: str) -> None:
    name = person_name()
    case = open_case(http, name)
    # Time has passed for this case: its registration was due five days ago (overdue is derived from due_on).
    engine = create_engine(sync_url(database_url))
    with engine.begin() as conn:
        conn.execute(text("UPDATE cases SET due_on = :due WHERE id = :id"),
                     {"due": today() - timedelta(days=5), "id": case})
    engine.dispose()

    officer = people("minzheng")
    page = officer.go("/supervision/stuck")
    row = page.locator("[data-test=stuck] .el-table__body tr", has_text=name)
    expect(row).to_contain_text("受理登记")
    officer.shot("stuck-overdue")
    row.locator(".el-checkbox").click()
    page.locator("[data-test=bulk-reassign]").click()
    officer.pick(page.locator("[data-test=bulk-assignee]"), "周分管")
    page.locator("[data-test=bulk-reason]").fill("原经办人休假，由分管领导督办")
    officer.shot("bulk-reassign")
    page.locator("[data-test=bulk-confirm]").click()
    expect(page.locator(".el-message")).to_contain_text("已改派 1 件")

    page = officer.go(f"/cases/{case}")
    expect(page.locator("[data-test=holder]")).to_contain_text("周分管")
    page.get_by_role("tab", name="办理记录").click()
    expect(page.locator("[data-test=history]")).to_contain_text("改派经办人")
    officer.shot("case-reassigned")
