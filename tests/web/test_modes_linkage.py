"""The recorded service modes in the console: the township pairs a party member with a recipient and records a
visit under the case's 服务方式 tab, the village assistant makes the household's 红马夹 plan and records volunteer
hours, and the county officer refers the recipient's need to a member unit and records its outcome."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.sync_api import expect

from tests.web.scene import open_case, person_name


def test_pairing_team_plan_and_department_referral(people: Any, http: httpx.Client) -> None:
    name = person_name()
    case = open_case(http, name)

    township = people("jiedao")
    page = township.go(f"/cases/{case}")
    page.get_by_role("tab", name="服务方式").click()
    page.locator("[data-test=party-add]").click()
    page.locator("[data-test=party-name]").fill("王建国")
    page.locator("[data-test=party-save]").click()
    expect(page.locator(".el-message", has_text="已登记结对帮扶")).to_be_visible()
    township.pick(page.locator("[data-test=visit-pairing]"), "王建国")
    page.locator("[data-test=visit-content]").fill("走访慰问，送米面油")
    page.locator("[data-test=visit-save]").click()
    expect(page.locator("[data-test=mode-party]")).to_contain_text("走访慰问，送米面油")
    expect(page.locator("[data-test=modes]")).to_contain_text("“党建+救助”服务")
    township.shot("party-pairing")

    assistant = people("xieliyuan")
    page = assistant.go(f"/cases/{case}")
    page.get_by_role("tab", name="服务方式").click()
    page.locator("[data-test=team-open]").click()
    page.locator("[data-test=team-name]").fill("池阳社区红马夹服务队")
    page.locator("[data-test=team-member]").fill("李协理")
    page.locator("[data-test=team-assessment]").fill("独居，行动不便")
    page.locator("[data-test=team-plan]").fill("每周上门陪伴一次")
    page.locator("[data-test=team-save]").click()
    expect(page.locator(".el-message", has_text="已制定帮扶方案")).to_be_visible()
    page.locator("[data-test=svc-name]").fill("张志愿")
    page.locator("[data-test=svc-content]").fill("陪同参加社区活动")
    page.locator("[data-test=svc-hours]").fill("2.5")
    page.locator("[data-test=svc-save]").click()
    expect(page.locator("[data-test=mode-team]")).to_contain_text("志愿服务时长合计2.5小时")
    expect(page.locator("[data-test=modes]")).to_contain_text("池阳社区红马夹服务队")
    assistant.shot("team-plan")

    officer = people("minzheng")
    page = officer.go("/modes/referrals")
    page.locator("[data-test=unit-name]").fill("县卫健委")
    page.locator("[data-test=unit-save]").first.click()
    expect(page.locator(".el-message", has_text="已登记成员单位")).to_be_visible()
    officer.pick(page.locator("[data-test=dept-case]"), name)
    officer.pick(page.locator("[data-test=dept-unit]"), "县卫健委")
    page.locator("[data-test=dept-need]").fill("高血压健康管理")
    page.locator("[data-test=dept-save]").click()
    row = page.locator("[data-test=dept-list] .el-table__body tr", has_text="高血压健康管理")
    expect(row).to_contain_text("已转介")
    row.locator("[data-test=dept-outcome]").click()
    page.locator("[data-test=outcome-text]").fill("家庭医生签约，每月随访")
    page.locator("[data-test=outcome-save]").click()
    expect(row).to_contain_text("已反馈办理结果")
    officer.shot("department-referral")
