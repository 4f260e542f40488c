"""Through the HTTP API on real Temporal and PostgreSQL: configuration by the county, a manual run, the
township's return and approval (double clicks included), the payment files, payment, and the case's file."""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import text

from activities.settlement.schedule import ensure_schedule
from infra.db import Sessions
from tests.api.conftest import Http
from tests.world import World, add_cases, add_record, at
from vocabulary.case import Role

# The payment files' headers as the bank and the township's finance office read them, written out (not taken
# from the code under test).
CSV_HEADER = ("序号", "结算单号", "付款单位", "收款户名", "收款账号", "收款开户行", "金额(元)", "资金来源", "用途")
LINE_HEADER = ("序号", "服务号", "服务对象", "村(社区)", "服务事项", "服务月份", "结算类型", "计量单位", "单价(元)",
               "结算数量", "超计划或重复未结数量", "金额(元)", "资金来源", "经费类别")


async def count(sessions: Sessions, sql: str, **params: Any) -> int:
    async with sessions() as s:
        return int((await s.execute(text(sql), params)).scalar_one())


async def test_county_configures_items_fees_and_agreements(http: Http, world: World) -> None:
    officer, worker = world.officer, world.township_worker
    item = {"code": "night_care", "category": "care", "name": "夜间照护", "unit": "hour", "government_funded": False}
    added = await http.ok("POST", "/service-items", officer, item)
    assert (added["unit_zh"], added["fees"]) == ("小时", [])
    assert (await http.post("/service-items", officer, item)).json()["code"] == "item_exists"
    assert (await http.post("/service-items", worker, item)).status_code == 403
    edited = await http.ok("PATCH", "/service-items/night_care", officer, {"government_funded": True})
    assert edited["government_funded"] is True

    fee = {"valid_from": "2026-01-01", "price": "40.00", "funding_source": "tekun_care"}
    await http.ok("POST", "/service-items/night_care/fees", officer, fee)
    changed = await http.ok("POST", "/service-items/night_care/fees", officer,
                            {**fee, "valid_from": "2026-10-16", "price": "45.00"})
    tekun = "特困人员照料护理经费"
    assert [(f["valid_from"], f["valid_to"], f["price"], f["funding_source_zh"]) for f in changed["fees"]] == [
        ("2026-01-01", "2026-10-15", "40.00", tekun), ("2026-10-16", None, "45.00", tekun)]
    clash = await http.post("/service-items/night_care/fees", officer, {**fee, "valid_from": "2026-10-16"})
    assert (clash.status_code, clash.json()["code"]) == (409, "fee_overlap")
    bad = await http.post("/service-items/night_care/fees", officer, {**fee, "funding_source": "lottery"})
    assert bad.status_code == 422

    body = {"agreement_no": f"N{world.county}-9", "purchaser_code": world.township,
            "provider_id": str(world.provider_b), "title": "夜间照护购买服务", "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "items": [{"item_code": "night_care", "price": "38.00"}]}
    other_township = await http.post("/agreements", world.actor(Role.TOWNSHIP_WORKER, world.other_township), body)
    assert other_township.status_code == 403
    agreement = await http.ok("POST", "/agreements", worker, body)
    assert (agreement["status"], agreement["status_zh"]) == ("initiated", "立项")
    path = f"/agreements/{agreement['id']}"
    skipped = await http.post(f"{path}/status", worker, {"status": "accepted"})
    assert (skipped.status_code, skipped.json()["code"]) == (409, "agreement_status")
    assert (await http.ok("POST", f"{path}/status", worker, {"status": "implementing"}))["status_zh"] == "实施"
    frozen = await http.put(f"{path}/items", worker, [{"item_code": "night_care", "price": "50.00"}])
    assert frozen.json()["code"] == "agreement_in_force"
    unevaluated = await http.post(f"{path}/status", worker, {"status": "accepted"})  # 验收 needs the evaluation
    assert (unevaluated.status_code, unevaluated.json()["code"]) == (409, "evaluation_missing")
    await http.ok("POST", "/evaluations", worker, {"agreement_id": agreement["id"]})
    assert (await http.ok("POST", f"{path}/status", worker, {"status": "accepted"}))["status_zh"] == "验收"
    listed = await http.ok("GET", "/agreements", world.actor(Role.PROVIDER, provider=world.provider_b))
    assert {a["agreement_no"] for a in listed} == {f"A{world.county}-3", f"N{world.county}-9"}

    funds = await http.ok("PUT", "/settlement/funds/2026", officer, {"pooled_assistance_funds": "2500000.00"})
    assert funds["work_funds_cap"] == "25000.00"
    account = await http.ok("PUT", f"/providers/{world.provider_b}/account", officer,
                            {"account_name": "测试护理中心", "account_no": "6222000011112222", "bank_name": "测试银行"})
    assert account["account_no"] == "6222000011112222"


async def _october(sessions: Sessions, world: World) -> tuple[list[Any], Any]:
    async with sessions.begin() as s:
        cases = await add_cases(s, world, 2)
        far = (await add_cases(s, world, 1, village=world.other_village))[0]
        for case in [*cases, far]:
            for day in (6, 13):
                await add_record(s, case, world.provider_a, "cleaning_aid", at(date(2026, 10, day)))
            await add_record(s, case, world.provider_a, "visit", at(date(2026, 10, 20), 15))
    return cases, far


async def test_return_rerun_approve_export_and_pay(http: Http, world: World, sessions: Sessions) -> None:
    cases, far = await _october(sessions, world)
    worker, other = world.township_worker, world.actor(Role.TOWNSHIP_WORKER, world.other_township)
    early = await http.post("/settlement/runs", world.officer, {"period": "2099-01"})
    assert early.json()["code"] == "period_not_ended"
    assert (await http.post("/settlement/runs", worker, {"period": "2026-10"})).status_code == 403
    summary = await http.run(world, "2026-10")
    assert (summary.statements, summary.drafts) == (2, 2)

    mine = (await http.ok("GET", "/statements", worker, period="2026-10"))["items"]
    assert [s["purchaser_code"] for s in mine] == [world.township]
    assert (await http.ok("GET", "/statements", world.officer, period="2026-10"))["total"] == 2
    sid, version = mine[0]["id"], mine[0]["version"]
    assert Decimal(mine[0]["total_amount"]) == Decimal("180.00")  # 2 cases x (2 x 30 + 30)
    assert (await http.post(f"/statements/{sid}/approval", other, {"version": version})).status_code == 404

    reason = {"version": version, "reason": "核对服务记录"}
    returned = await http.ok("POST", f"/statements/{sid}/return", worker, reason)
    assert (returned["status"], returned["return_reason"]) == ("returned", "核对服务记录")
    refused = await http.post(f"/statements/{sid}/approval", worker, {"version": version})
    assert (refused.status_code, refused.json()["code"]) == (409, "statement_returned")

    await http.run(world, "2026-10")  # the re-run presents it again, unchanged
    again = await http.ok("GET", f"/statements/{sid}", worker)
    assert (again["status"], again["version"], again["content_sha256"]) == ("draft", version, mine[0]["content_sha256"])
    stale = await http.post(f"/statements/{sid}/approval", worker, {"version": version + 1})
    assert stale.json()["code"] == "statement_changed"

    clicks = await asyncio.gather(*(http.post(f"/statements/{sid}/approval", worker, {"version": version})
                                    for _ in range(3)))
    assert [c.status_code for c in clicks] == [200, 200, 200]
    approved = clicks[0].json()
    assert approved["status"] == "approved" and {f["kind"] for f in approved["files"]} == {"xlsx", "csv"}
    assert await count(sessions, "SELECT count(*) FROM audit_log WHERE action = 'statement_approve' "
                                 "AND after->>'statement_id' = :s", s=sid) == 1

    for f in approved["files"]:
        r = await http.get(f"/statements/{sid}/files/{f['kind']}", worker)
        assert hashlib.sha256(r.content).hexdigest() == f["sha256"] == r.headers["X-Content-SHA256"]
        if f["kind"] == "csv":
            assert r.content.startswith(b"\xef\xbb\xbf")
            rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
            assert tuple(rows[0]) == CSV_HEADER
            assert sum(Decimal(row[6]) for row in rows[1:]) == Decimal("180.00")
        else:
            wb = load_workbook(io.BytesIO(r.content))
            detail = list(wb["结算明细"].iter_rows(values_only=True))
            assert detail[0] == LINE_HEADER and len(detail) == 2 + 2 * 2  # header, 2 cases x 2 items, total
            assert detail[-1][0] == "合计" and Decimal(str(detail[-1][11])) == Decimal("180.00")
            assert {row[2] for row in detail[1:-1]} <= {f"服务对象{n}" for n in (1, 2)}
    csv_row = await http.get(f"/statements/{sid}/files/csv", world.actor(Role.VILLAGE_ASSISTANT))
    assert csv_row.status_code == 403

    payment = {"voucher_no": "PZ-2026-1101", "paid_on": "2026-11-20"}
    paid = await asyncio.gather(*(http.post(f"/statements/{sid}/payment", worker, payment) for _ in range(2)))
    assert [p.json().get("status", p.text) for p in paid] == ["paid", "paid"]
    assert await count(sessions, "SELECT count(*) FROM audit_log WHERE action = 'statement_paid' "
                                 "AND after->>'statement_id' = :s", s=sid) == 1
    records = await count(sessions, "SELECT count(*) FROM statement_records WHERE statement_id = :s", s=sid)

    await http.run(world, "2026-10")  # nothing paid twice, nothing moves
    after = await http.ok("GET", f"/statements/{sid}", worker)
    assert (after["status"], after["content_sha256"], after["total_amount"]) == (
        "paid", again["content_sha256"], "180.00")
    assert await count(sessions, "SELECT count(*) FROM statement_records WHERE statement_id = :s", s=sid) == records

    covered = await http.ok("GET", f"/cases/{cases[0]}/statements", world.actor(Role.VILLAGE_ASSISTANT))
    assert [(c["statement_id"], c["status_zh"], c["amount"], c["items"]) for c in covered] == [
        (sid, "已支付", "90.00", ["cleaning_aid", "visit"])]
    assert (await http.get(f"/cases/{cases[0]}/statements", other)).status_code == 404
    assert (await http.get(f"/cases/{far}/statements", other)).status_code == 200
    run = await http.ok("GET", "/settlement/runs/2026-10", world.officer)
    assert (run["status"], run["runs"], run["statements"], run["fund_check"]["status"]) == ("finished", 3, 2, "within")
    # A paid month's prices are history: a fee change reaching back into it is refused.
    late_fee = {"valid_from": "2026-10-20", "price": "35.00", "funding_source": "home_elderly_care"}
    refused_fee = await http.post("/service-items/cleaning_aid/fees", world.officer, late_fee)
    assert (refused_fee.status_code, refused_fee.json()["code"]) == (409, "fee_period_locked")
    assert (await http.post("/service-items/cleaning_aid/fees", world.officer,
                            {**late_fee, "valid_from": "2026-11-01"})).status_code == 201


async def test_backfill_and_exceptions_through_the_api(http: Http, world: World, sessions: Sessions) -> None:
    async with sessions.begin() as s:
        case = (await add_cases(s, world, 1))[0]
        await add_record(s, case, world.provider_a, "visit", at(date(2026, 5, 12), 15))
        unlisted = await add_record(s, case, world.provider_a, "meal_aid", at(date(2026, 5, 12), 12))
    body = {"first": "2026-05", "last": "2026-05"}
    missing = await http.post("/settlement/backfill", world.officer, body)
    assert (missing.status_code, missing.json()["code"]) == (409, "schedule_missing")
    await ensure_schedule(http.client, http.settings)
    try:
        await _backfill_may(http, world, body, unlisted)
    finally:
        await http.client.get_schedule_handle(http.settings.settlement_schedule_id).delete()


async def _backfill_may(http: Http, world: World, body: dict[str, str], unlisted: Any) -> None:
    assert (await http.post("/settlement/backfill", world.township_worker, body)).status_code == 403
    too_long = await http.post("/settlement/backfill", world.officer, {"first": "2025-01", "last": "2026-05"})
    assert too_long.status_code == 422
    future = await http.post("/settlement/backfill", world.officer, {"first": "2099-01", "last": "2099-01"})
    assert future.json()["code"] == "period_not_due"
    started = await http.ok("POST", "/settlement/backfill", world.officer, body)
    assert started["periods"] == ["2026-05"]
    for _ in range(120):
        run = await http.ok("GET", "/settlement/runs/2026-05", world.officer)
        if run["status"] == "finished":
            break
        await asyncio.sleep(0.25)
    assert (run["status"], run["statements"], run["exceptions"]) == ("finished", 1, 1)
    listed = await http.ok("GET", "/settlement/exceptions", world.township_worker, period="2026-05")
    assert [(e["record_id"], e["reason_zh"]) for e in listed] == [(str(unlisted), "不在本案件服务方案内")]
    assert await http.ok("GET", "/settlement/exceptions", world.actor(Role.TOWNSHIP_WORKER, world.other_township),
                         period="2026-05") == []
