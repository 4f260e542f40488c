"""The API's refusals reach the case worker in Chinese, in place: a field's problem under the field, a
decision the workflow refuses above the form; nothing is lost and the form can be corrected."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.sync_api import expect

from tests.flow import SURVEY
from tests.web.conftest import token
from tests.web.scene import new_id_number, open_case, person_name


def test_a_wrong_id_number_is_shown_under_its_field(people: Any) -> None:
    worker = people("jiedao")
    page = worker.go("/cases/new")
    form = page.locator("[data-test=new-case]")
    number = new_id_number()
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")  # the check digit no longer matches
    form.locator("input[name=name]").fill(person_name())
    form.locator("input[name=id_number]").fill(wrong)
    worker.pick(form.locator("[data-test=village]"), "杏花村社区")
    worker.pick(form.locator("[data-test=category]"), "特困人员")
    form.locator("textarea[name=need]").fill("需要上门助洁")
    form.get_by_role("button", name="提交").click()
    field = form.locator(".el-form-item", has=page.locator("input[name=id_number]"))
    expect(field.locator(".el-form-item__error")).to_have_text("身份证号码校验位错误，请核对")
    expect(page.locator("[data-test=refusal]")).to_contain_text("填写内容有误")
    worker.shot("refused-id-number")
    assert "/cases/new" in page.url  # still on the form, with what was typed
    expect(form.locator("textarea[name=need]")).to_have_value("需要上门助洁")

    form.locator("input[name=id_number]").fill(number)  # corrected: accepted
    form.get_by_role("button", name="提交").click()
    page.wait_for_url("**/console/cases/*-*")
    expect(page.locator("[data-test=current-step]")).to_have_text("受理登记")


def test_an_ineligible_approval_is_refused_in_chinese(people: Any, http: httpx.Client) -> None:
    name = person_name()
    case = open_case(http, name, category="none")  # 非社会救助对象: cannot be confirmed
    for path, user, body in (("registration", "jiedao", {"need_category": "living"}), ("survey", "xieliyuan", SURVEY)):
        r = http.post(f"/cases/{case}/{path}", json=body, headers=token(http, user))
        assert r.status_code == 200, r.text

    worker = people("jiedao")
    page = worker.go(f"/cases/{case}")
    page.locator("[data-action=review]").click()
    review = page.locator("[data-test=review-form]")
    review.locator("textarea[name=reasons]").fill("申请服务")
    review.locator("input[name=difficulty_type]").fill("生活照料困难")
    review.get_by_text("一般困难").click()
    worker.pick(review.locator("[data-test=item-0]"), "助洁")
    review.get_by_role("button", name="提交审核决定").click()
    expect(review.locator("[data-test=refusal]")).to_contain_text("不符合服务类社会救助对象条件")
    worker.shot("refused-review")
    expect(page.locator("[data-test=current-step]")).to_have_text("审核确认")  # nothing was written

    review.get_by_text("不予确认").click()  # the worker refuses in writing instead
    review.locator("textarea[name=reasons]").fill("不属于服务类社会救助对象")
    review.get_by_role("button", name="提交审核决定").click()
    expect(page.locator("[data-test=current-step]")).to_have_text("审核确认")
    expect(page.locator(".el-alert", has_text="审核不予确认")).to_contain_text("不属于服务类社会救助对象")
