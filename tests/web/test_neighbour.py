"""Neighbour help in the console: the township reviews a service the village recorded, the county approves the
year's statement and downloads the bank file, the township records the payment. A fixed past year (2018)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from playwright.sync_api import expect

from tests.web.conftest import token
from tests.web.scene import person_name, walk_to_archiving

YEAR = 2018


def paired(http: httpx.Client, name: str) -> str:
    """A helper paired with a served recipient, one service recorded by the village in YEAR (not yet reviewed)."""
    case = walk_to_archiving(http, name, plan_start="2026-03-01")
    http.post("/neighbour/rates", headers=token(http, "minzheng"),
              json={"valid_from": f"{YEAR}-01-01", "valid_to": f"{YEAR}-12-31", "basis": "per_service",
                    "amount": "25.00"})
    helper = http.post("/neighbour/helpers", headers=token(http, "jiedao"), json={
        "name": "赵邻居", "village_code": "341702001001", "trained_on": f"{YEAR - 1}-11-01",
        "certificate_no": f"PX-{uuid.uuid4().hex[:8]}", "account_name": "赵邻居", "account_no": "6222020000005678",
        "bank_name": "池州农商银行"})
    assert helper.status_code == 201, helper.text
    pairing = http.post(f"/neighbour/helpers/{helper.json()['id']}/pairings", headers=token(http, "jiedao"),
                        json={"case_id": case, "content": "助餐", "started_on": f"{YEAR}-01-01"})
    assert pairing.status_code == 201, pairing.text
    record = http.post(f"/neighbour/pairings/{pairing.json()['id']}/records", headers=token(http, "xieliyuan"),
                       json={"served_on": f"{YEAR}-05-06", "content": "送餐上门", "count": 4})
    assert record.status_code == 201, record.text
    return case


def test_neighbour_help_is_reviewed_approved_and_paid(people: Any, http: httpx.Client) -> None:
    name = person_name()
    paired(http, name)

    township = people("jiedao")
    page = township.go("/neighbour/records")
    row = page.locator("[data-test=records] .el-table__body tr", has_text=name)
    expect(row).to_contain_text("待乡镇审核")
    row.get_by_text("通过", exact=True).click()
    expect(row).to_have_count(0)  # the pending list reloads without it
    township.shot("neighbour-records")

    run = http.post("/neighbour-settlements", headers=token(http, "minzheng"), json={"year": YEAR})
    assert run.status_code == 200 and run.json()["statements"], run.text

    county = people("minzheng")
    page = county.go("/neighbour-settlements")
    row = page.locator("[data-test=year-statements] .el-table__body tr", has_text=str(YEAR))
    expect(row).to_contain_text("待县级审批")
    row.click()
    expect(page.locator("[data-test=lines]")).to_contain_text("赵邻居")
    page.locator("[data-test=approve]").click()
    page.locator("[data-test=confirm]").click()
    expect(page.locator("[data-test=statement-status]")).to_have_text("已审批")
    with page.expect_download() as download:
        page.locator("[data-test=file-csv]").click()
    assert download.value.suggested_filename.endswith(".csv")
    county.shot("neighbour-statement-approved")

    page = township.go(f"/neighbour-settlements/{run.json()['statements'][0]}")
    page.get_by_role("button", name="登记发放").click()
    page.locator(".el-form-item", has_text="发放凭证号").locator("input").fill("PZ-2019-0003")
    page.locator("[data-test=confirm]").click()
    expect(page.locator("[data-test=statement-status]")).to_have_text("已发放")
