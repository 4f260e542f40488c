"""Administration through the console: a county officer creates a user (a weak password refused in place), who can
then log in; and every new page opens for the roles that use it, saved as a screenshot."""

from __future__ import annotations

import random
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.conftest import Person

PAGES = [
    ("jiedao", "/dynamic/screenings", "[data-test=screenings]"),
    ("jiedao", "/dynamic/report", "[data-test=dynamic-report]"),
    ("minzheng", "/dynamic/roster", "[data-test=roster]"),
    ("shenji", "/dynamic/roster", "[data-test=roster-imports]"),
    ("xieliyuan", "/dynamic/status-events", "[data-test=status-events]"),
    ("minzheng", "/dynamic/status-events", "[data-test=status-events]"),
    ("minzheng", "/oversight/overview", "[data-test=overview]"),
    ("minzheng", "/oversight/settings", "[data-test=oversight-settings]"),
    ("jiedao", "/oversight/notices", "[data-test=notices]"),
    ("xieliyuan", "/oversight/notices", "[data-test=notices]"),
    ("minzheng", "/oversight/checks", "[data-test=checks]"),
    ("minzheng", "/oversight/complaints", "[data-test=complaints]"),
    ("minzheng", "/oversight/rectifications", "[data-test=rectifications]"),
    ("xieliyuan", "/oversight/visits", "[data-test=visits]"),
    ("minzheng", "/oversight/evaluations", "[data-test=evaluations]"),
    ("jiedao", "/oversight/ledger", "[data-test=ledger]"),
    ("fuwu", "/provider/rectifications", "[data-test=rectifications]"),
    ("minzheng", "/admin/users", "[data-test=users]"),
    ("minzheng", "/admin/providers", "[data-test=providers]"),
]


@pytest.mark.parametrize(("user", "path", "marker"), PAGES, ids=[f"{u}{p.replace('/', '-')}" for u, p, _ in PAGES])
def test_each_new_page_opens_for_its_users(people: Any, user: str, path: str, marker: str) -> None:
    person = people(user)
    page = person.go(path)
    expect(page.locator(marker)).to_be_visible()
    expect(page.locator("[data-test=refusal]")).to_have_count(0)
    person.shot(path.strip("/").replace("/", "-"))


def test_a_county_officer_creates_a_user(people: Any, browser: Any, service: Any) -> None:
    officer = people("minzheng")
    page = officer.go("/admin/users")
    page.locator("[data-test=new-user]").click()
    form = page.locator("[data-test=user-form]")
    username = f"xly{random.randrange(10**6):06d}"
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=full_name]").fill("钱协理")
    officer.pick(form.locator("[data-test=user-role]"), "村(社区)社会救助协理员")
    officer.pick(form.locator("[data-test=user-jurisdiction]"), "341702001001")
    form.locator("input[name=password]").fill("short")
    form.locator("[data-test=user-submit]").click()
    expect(form.locator(".el-form-item__error")).not_to_have_count(0)  # the password's problem under its field
    officer.shot("user-refused")
    form.locator("input[name=password]").fill("Qianxieli2026")
    form.locator("[data-test=user-submit]").click()
    row = page.locator("[data-test=users] .el-table__body tr", has_text=username)
    page.locator(".el-form").first.get_by_role("button", name="查询").click()
    expect(row).to_contain_text("钱协理")
    expect(row).to_contain_text("在用")
    officer.shot("user-created")

    newcomer = Person(browser, service, username, "a_county_officer_creates_a_user", [])
    try:
        p = newcomer.page
        p.goto(f"{service.base}/console/login")
        p.get_by_label("用户名").fill(username)
        p.get_by_label("密码").fill("Qianxieli2026")
        p.get_by_role("button", name="登录").click()
        p.wait_for_url(re.compile(r"/console/workbench"))
    finally:
        newcomer.close()
