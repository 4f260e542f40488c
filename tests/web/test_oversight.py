"""监督管理 through the console: a county officer draws a spot check and records a result; a complaint is entered
by the county, handled by the provider it concerns and closed after the county's return visit."""

from __future__ import annotations

import random
import re
from typing import Any

import httpx
from playwright.sync_api import expect

from tests.web.conftest import token
from tests.web.scene import person_name, walk_to_archiving, yesterday


def served(http: httpx.Client) -> None:
    """A recipient served yesterday, and an inspector who works for no township and no provider."""
    case = walk_to_archiving(http, person_name(), plan_start=yesterday())
    record = http.post(f"/cases/{case}/service-records", headers=token(http, "fuwu"), json={
        "item_code": "cleaning_aid", "started_at": f"{yesterday()}T09:00:00+08:00", "minutes": 120, "quantity": 2,
        "worker_name": "孙社工", "content": "打扫卧室与厨房"})
    assert record.status_code == 201, record.text
    inspector = http.post("/checks/inspectors", headers=token(http, "minzheng"), json={"name": "县抽查员"})
    assert inspector.status_code == 201, inspector.text


def test_a_county_officer_draws_a_spot_check_and_records_a_result(people: Any, http: httpx.Client) -> None:
    served(http)
    officer = people("minzheng")
    page = officer.go("/oversight/checks")
    page.locator(".el-input-number input").first.fill(yesterday()[:4])
    draw = page.locator("[data-test=draw-form]")
    draw.locator(".el-input-number input").fill("100")
    draw.locator("[data-test=draw]").click()
    expect(page.locator(".el-message")).to_contain_text("已抽取")
    checks = page.locator("[data-test=checks] .el-table__body")
    # The year's sample holds other tests' records too, and inspectors are assigned per stratum: the first row is
    # some drawn record with its inspector, not necessarily ours.
    expect(checks.locator("tr").first).to_contain_text("未检查")
    expect(checks.locator("tr").first.locator("[data-test=check-recipient]")).to_have_text(re.compile(r"\S"))
    officer.shot("spot-check-drawn")
    checks.locator("[data-test=record-check]").first.click()
    form = page.locator("[data-test=check-result-form]")
    form.get_by_text("电话", exact=True).click()
    form.locator("[data-test=check-result]").get_by_text("属实", exact=True).click()
    form.locator("textarea[name=notes]").fill("电话回访服务对象，确认当日上门助洁")
    officer.shot("spot-check-result")
    form.locator("[data-test=check-submit]").click()
    expect(page.locator(".el-message").last).to_contain_text("已登记检查结果")
    expect(checks.locator("tr").first).to_contain_text("属实")
    page.get_by_role("tab", name="历次抽样").click()
    officer.shot("spot-check-draws")


def test_a_complaint_is_entered_handled_and_closed(people: Any) -> None:
    officer = people("minzheng")
    page = officer.go("/oversight/complaints")
    page.locator("[data-test=new-complaint]").click()
    form = page.locator("[data-test=complaint-form]")
    content = f"服务人员多次未按约定时间上门（{random.randrange(10**6):06d}）"
    form.locator("textarea[name=content]").fill(content)
    form.locator("[data-test=complaint-handler]").get_by_text("服务供给主体").click()
    officer.pick(form.locator("[data-test=complaint-provider]"), "贵池区阳光社会工作服务中心")
    form.locator("[data-test=complaint-submit]").click()  # a 12345 order without its number: refused in place
    expect(form.locator("[data-test=refusal]")).to_be_visible()
    officer.shot("complaint-refused")
    form.locator("input[name=work_order_no]").fill(f"12345-{random.randrange(10**8):08d}")
    form.locator("[data-test=complaint-submit]").click()
    row = page.locator("[data-test=complaints] .el-table__body tr", has_text=content)
    expect(row).to_contain_text("待受理")

    provider = people("fuwu")
    p = provider.go("/provider/complaints")
    p.locator("[data-test=complaints] .el-table__body tr", has_text=content).click()
    drawer = p.locator("[data-test=complaint]")
    drawer.locator("[data-test=complaint-accept]").click()
    expect(drawer.locator("[data-test=complaint-status]")).to_have_text("办理中")
    reply = drawer.locator("[data-test=complaint-reply]")
    reply.locator("textarea[name=reply]").fill("经核实为排班调整未及时告知，已向服务对象说明并调整排班")
    reply.get_by_text("未查实").click()
    provider.shot("complaint-reply")
    reply.get_by_role("button", name="提交答复").click()
    expect(drawer.locator("[data-test=complaint-status]")).to_have_text("已答复待回访")

    page.reload()
    page.locator("[data-test=complaints] .el-table__body tr", has_text=content).click()
    visit = page.locator("[data-test=complaint-return-visit]")
    visit.get_by_role("button", name="登记回访").click()
    expect(page.locator("[data-test=complaint-status]")).to_have_text("已办结")
    officer.shot("complaint-closed")
