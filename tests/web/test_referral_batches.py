"""批量转介 in the console: the township picks two cases waiting in 转介服务 and one provider and sends them in one
act; the provider opens the batch and answers each case, accepting one and declining the other with a reason."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.sync_api import expect

from tests.flow import SURVEY
from tests.web.conftest import token
from tests.web.scene import open_case, person_name

REVIEW = {"decision": "approve", "reasons": "特困人员，失能", "difficulty_type": "生活照料困难",
          "difficulty_degree": "severe", "items": [{"item_code": "cleaning_aid", "quantity_per_month": 8}]}


def waiting_in_referral(http: httpx.Client, name: str) -> str:
    case = open_case(http, name)
    for path, user, body in (("registration", "jiedao", {"need_category": "living"}),
                             ("survey", "xieliyuan", SURVEY), ("review", "jiedao", REVIEW)):
        r = http.post(f"/cases/{case}/{path}", json=body, headers=token(http, user))
        assert r.status_code == 200, (path, r.text)
    return case


def test_a_batch_referral_answered_case_by_case(people: Any, http: httpx.Client) -> None:
    first, second = person_name() + "甲", person_name() + "乙"
    waiting_in_referral(http, first)
    waiting_in_referral(http, second)

    worker = people("jiedao")
    page = worker.go("/referral-batches")
    waiting = page.locator("[data-test=waiting]")
    for name in (first, second):
        waiting.locator(".el-table__body tr", has_text=name).locator(".el-checkbox").click()
    page.get_by_role("radiogroup").get_by_text("贵池区阳光社会工作服务中心").click()
    page.locator("[data-test=send-batch]").click()
    sent = page.locator("[data-test=batch-cases]")
    expect(sent.locator(".el-table__body tr", has_text="待答复")).to_have_count(2)
    worker.shot("batch-sent")

    provider = people("fuwu")
    page = provider.go("/referral-batches")
    page.locator(".el-table__body tr").first.click()
    cases = page.locator("[data-test=batch-cases]")
    cases.locator(".el-table__body tr", has_text=first).get_by_role("button", name="承接", exact=True).click()
    expect(cases.locator(".el-table__body tr", has_text=first)).to_contain_text("已承接")
    declined = cases.locator(".el-table__body tr", has_text=second)
    declined.locator("input").fill("本月护理员已满")
    declined.get_by_role("button", name="拒绝承接").click()
    expect(declined).to_contain_text("已拒绝")
    provider.shot("batch-answered")
