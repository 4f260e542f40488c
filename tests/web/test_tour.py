"""Every page of the console opens for the roles that use it, at 1366×768 and on a tablet, with no refusal;
each is saved as a screenshot (tests/web/artifacts/)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

TABLET = {"viewport": {"width": 1024, "height": 768}, "has_touch": True}
PAGES = [
    ("jiedao", "/workbench", "[data-test=tasks]"),
    ("jiedao", "/cases", "[data-test=cases]"),
    ("jiedao", "/cases/new", "[data-test=new-case]"),
    ("minzheng", "/supervision/stuck", "[data-test=stuck]"),
    ("minzheng", "/supervision/durations", "[data-test=heatmap]"),
    ("minzheng", "/settings/deadlines", "[data-test=rules]"),
    ("minzheng", "/statements", "[data-test=statements]"),
    ("fuwu", "/workbench", "[data-test=tasks]"),
    ("fuwu", "/provider/records", "[data-test=pick-case]"),
    ("shenji", "/cases", "[data-test=cases]"),
    ("xieliyuan", "/workbench", "[data-test=tasks]"),
]


@pytest.mark.parametrize(("user", "path", "marker"), PAGES, ids=[f"{u}{p.replace('/', '-')}" for u, p, _ in PAGES])
def test_each_page_opens_for_its_users(people: Any, user: str, path: str, marker: str) -> None:
    person = people(user)
    page = person.go(path)
    expect(page.locator(marker)).to_be_visible()
    expect(page.locator("[data-test=refusal]")).to_have_count(0)
    person.shot(path.strip("/").replace("/", "-"))


def test_the_menu_follows_the_role(people: Any) -> None:
    provider = people("fuwu")
    menu = provider.page.locator(".el-aside")
    expect(menu).to_contain_text("服务记录录入")
    expect(menu).not_to_contain_text("监督管理")
    provider.go("/supervision/stuck")  # a page of another role: back to the provider's own start page
    provider.page.wait_for_url("**/console/workbench")


def test_the_survey_form_fits_a_tablet(people: Any, http: Any) -> None:
    from tests.web.conftest import token
    from tests.web.scene import open_case, person_name

    case = open_case(http, person_name())
    r = http.post(f"/cases/{case}/registration", json={"need_category": "care"}, headers=token(http, "jiedao"))
    assert r.status_code == 200, r.text
    assistant = people("xieliyuan", **TABLET)
    page = assistant.go(f"/cases/{case}")
    page.locator("[data-action=survey]").click()
    form = page.locator("[data-test=survey-form]")
    expect(form.locator("[data-dimension]")).to_have_count(7)
    assistant.shot("survey-tablet")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1024
    box = form.locator("[data-dimension=economy] .el-radio-button").first.bounding_box()
    assert box is not None and box["height"] >= 36  # a finger-sized target
