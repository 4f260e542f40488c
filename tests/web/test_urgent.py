"""先行救助 through the console: a township worker marks a case urgent from the case page (the mark_urgent form);
the 先行救助 tag shows on the case page and in the case list."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.sync_api import expect

from tests.web.scene import open_case, person_name


def test_a_township_worker_marks_a_case_urgent(people: Any, http: httpx.Client) -> None:
    name = person_name()
    case = open_case(http, name)
    worker = people("jiedao")
    page = worker.go(f"/cases/{case}")
    expect(page.locator("[data-test=current-step]")).to_be_visible()
    expect(page.locator("[data-test=urgent-tag]")).to_have_count(0)

    page.locator("[data-action=mark_urgent]").click()
    form = page.locator("[data-test=urgent-form]")
    form.locator("button[type=submit]").click()
    expect(form).to_contain_text("请选择突发情况")  # the form says what is missing, in place
    form.get_by_text("照料人突发变故，短时间生活无人照料").click()
    form.locator("textarea[name=details]").fill("独居老人，照料其的女儿突发住院，短期无人照料")
    form.get_by_text("贵池区阳光社会工作服务中心").click()
    worker.pick(form.locator("[data-test=urgent-item-0]"), "助洁")
    worker.shot("urgent-form")
    form.locator("button[type=submit]").click()

    tag = page.locator("[data-test=urgent-tag]")
    expect(tag).to_have_text("先行救助")  # a township worker's mark needs no confirmation
    expect(tag).to_be_visible()
    worker.shot("urgent-case")

    page = worker.go("/cases")
    row = page.locator("[data-test=cases] tr", has_text=name)
    expect(row.locator("[data-test=urgent-tag]")).to_have_text("先行救助")
    expect(row.locator("[data-test=urgent-tag]")).to_be_visible()
    worker.shot("urgent-in-list")
