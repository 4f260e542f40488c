"""机构照料服务 in the console: under a case's 服务方式 tab the township records that the recipient entered a 敬老院
with their consent; the tab then lists the institution beside the provider's purchased services."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.sync_api import expect

from tests.flow import ARCHIVE
from tests.web.conftest import token
from tests.web.scene import person_name, walk_to_archiving, yesterday


def test_a_placement_under_the_modes_tab(people: Any, http: httpx.Client) -> None:
    case = walk_to_archiving(http, person_name(), plan_start=yesterday())
    r = http.post(f"/cases/{case}/archive", json=ARCHIVE, headers=token(http, "fuwu"))
    assert r.status_code == 200, r.text

    worker = people("jiedao")
    page = worker.go(f"/cases/{case}")
    page.get_by_role("tab", name="服务方式").click()
    modes = page.locator("[data-test=modes]")
    modes.locator("[data-test=place]").click()
    modes.locator("input[name=institution_name]").fill("贵池区城关敬老院")
    modes.get_by_role("button", name="登记入住", exact=True).click()
    table = modes.locator(".el-table").first
    expect(table).to_contain_text("机构照料服务")
    expect(table).to_contain_text("贵池区城关敬老院")
    expect(modes.locator("[data-test=placements]")).to_contain_text("本人")
    worker.shot("placement")
