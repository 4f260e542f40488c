"""An applicant on a phone: applies online, sees the step their case is in and what is awaited from them."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.sync_api import expect

from tests.web.conftest import token

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_an_applicant_follows_their_own_case_on_a_phone(people: Any, http: httpx.Client) -> None:
    applicant = people("zhangsan", **PHONE)
    page = applicant.page
    page.get_by_placeholder("请说明您需要的服务").fill("腿脚不便，需要上门助洁")
    applicant.shot("apply-online")
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator("[data-test=my-step]")).to_have_text("受理登记")

    # The township finds the application incomplete and says at once what is missing.
    cases = http.get("/cases", headers=token(http, "jiedao"), params={"status": "open", "limit": 200}).json()["items"]
    case = next(c for c in cases if c["person_name"] == "张三")
    r = http.post(f"/cases/{case['id']}/materials-request", headers=token(http, "jiedao"),
                  json={"missing": ["户口本复印件", "残疾证复印件"]})
    assert r.status_code == 200, r.text

    page.reload()
    awaited = page.locator("[data-test=awaited]")
    expect(awaited).to_contain_text("户口本复印件")
    expect(awaited).to_contain_text("残疾证复印件")
    expect(page.locator("[data-action=resubmit]")).to_be_visible()  # the applicant's own move, as the API lists it
    applicant.shot("my-case")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
