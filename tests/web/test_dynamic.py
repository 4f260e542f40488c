"""动态管理 through the console: a township worker records a recipient's status change on the case, proposes to
stop the services (the notice and the hearing), records the recipient's statement and decides after it."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.sync_api import Locator, Page, expect

from tests.flow import ARCHIVE
from tests.web.conftest import token
from tests.web.scene import person_name, today, walk_to_archiving, yesterday


def in_service(http: httpx.Client, name: str) -> str:
    case = walk_to_archiving(http, name, plan_start=yesterday())
    r = http.post(f"/cases/{case}/archive", json=ARCHIVE, headers=token(http, "fuwu"))
    assert r.status_code == 200, r.text
    return case


def pick_date(form: Locator, day: str) -> None:
    field = form.locator(".el-date-editor input").first
    field.fill(day)
    field.press("Enter")


def offered(page: Page, action: str) -> None:
    """The case takes the event in asynchronously (a signal): the action appears once it has."""
    page.locator("#tab-work").click()
    for _ in range(30):
        if page.locator(f"[data-action={action}]").count():
            return
        page.wait_for_timeout(500)
        page.reload()
        page.locator("[data-test=current-step]").wait_for()
    page.locator("#tab-work").click()
    expect(page.locator(f"[data-action={action}]")).to_be_visible()


def test_a_township_worker_stops_services_after_a_hearing(people: Any, http: httpx.Client) -> None:
    name = person_name()
    case = in_service(http, name)
    worker = people("jiedao")
    page = worker.go(f"/cases/{case}")
    expect(page.locator("[data-test=current-step]")).to_have_text("动态管理")

    # The status change, entered on the case's 动态管理 tab.
    page.get_by_role("tab", name="动态管理").click()
    form = page.locator("[data-test=event-form]")
    worker.pick(form.locator("[data-test=event-change]"), "入住机构集中供养")
    pick_date(form, today().isoformat())
    form.locator("textarea[name=evidence]").fill("已入住区社会福利中心，见入院登记表")
    worker.shot("status-event")
    form.locator("[data-test=event-submit]").click()
    expect(page.locator("[data-test=events]")).to_contain_text("入住机构集中供养")

    # The proposal: a stop, told to the recipient, who may state and defend.
    offered(page, "propose_change")
    page.locator("[data-action=propose_change]").click()
    propose = page.locator("[data-test=propose-form]")
    propose.get_by_text("停止服务", exact=True).click()
    propose.locator("textarea[name=reasons]").fill("已入住机构集中供养，由机构提供照料")
    propose.locator("textarea[name=facts]").fill("服务对象已于本月入住区社会福利中心。")
    pick_date(propose, today().isoformat())
    worker.shot("propose-stop")
    propose.get_by_role("button", name="提交").click()
    expect(page.locator("[data-test=holder]")).to_contain_text("申请人")

    # While the recipient is heard, no decision is offered; their statement may be recorded.
    offered(page, "record_statement")
    expect(page.locator("[data-action=decide_change]")).to_have_count(0)
    page.get_by_role("tab", name="动态管理").click()
    expect(page.locator("[data-test=hearings]")).to_contain_text("已入住机构集中供养")
    worker.shot("hearing")
    page.locator("#tab-work").click()

    # The statement, then the written decision.
    page.locator("[data-action=record_statement]").click()
    statement = page.locator("[data-test=statement-form]")
    statement.locator("textarea[name=statement]").fill("本人同意停止上门服务")
    statement.get_by_role("button", name="记录陈述申辩").click()
    expect(page.locator(".el-message").last).to_contain_text("记录陈述申辩")
    offered(page, "decide_change")
    page.locator("[data-action=decide_change]").click()
    decide = page.locator("[data-test=decide-form]")
    decide.get_by_text("终止服务", exact=True).click()
    decide.locator("textarea[name=reasons]").fill("已入住机构集中供养，由机构提供照料。")
    decide.locator("textarea[name=statement_considered]").fill("本人同意，予以采纳。")
    pick_date(decide, today().isoformat())
    decide.get_by_role("button", name="作出决定").click()
    expect(page.locator(".page-title")).to_contain_text("已办结")

    page.get_by_role("tab", name="动态管理").click()
    panel = page.locator("[data-test=dynamic]")
    expect(panel.locator("[data-test=hearings]")).to_contain_text("本人同意停止上门服务")
    expect(panel.locator("[data-test=decisions]")).to_contain_text("终止服务")
    expect(panel.locator("[data-test=letters]")).to_contain_text("决定书")
    worker.shot("decided")
