"""Neighbour help (邻里互助服务, 池州方案 三(六)6) through the API: the township registers a trained helper and
pairs them with a recipient; the village records services; the township reviews them; the yearly settlement pays
each approved record once (a re-run is identical, a record approved after the year's statement was approved is
paid by the next year's statement as an adjustment, a rejected one never); the county approves or returns a
statement, approval locks it and writes the payment files. Dates are fixed past years (2020-2025), one year per
test: the tests share one township."""

from __future__ import annotations

import hashlib
import io
import uuid
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import text

from devstack.seed import VILLAGE
from infra.db import Sessions
from tests.flow import Api

ACCOUNT = "6222020000001234"
HELPER = {"name": "李大姐", "village_code": VILLAGE, "trained_on": "2019-12-01", "certificate_no": "PX-2023-017",
          "account_name": "李大姐", "account_no": ACCOUNT, "bank_name": "池州农商银行杏花支行"}


async def _ok(api: Api, path: str, user: str, body: Any) -> Any:
    return await api.ok(path, user, body)


async def _get(api: Api, path: str, user: str, **params: Any) -> Any:
    r = await api.get(path, user, **params)
    assert r.status_code == 200, (path, r.status_code, r.text)
    return r.json()


async def _paired(api: Api) -> tuple[str, str, str]:
    await api.post("/neighbour/rates", "minzheng", {"valid_from": "2020-01-01", "basis": "per_service",
                                                    "amount": "30.00"})
    helper = await _ok(api, "/neighbour/helpers", "jiedao", {**HELPER, "certificate_no": f"PX-{uuid.uuid4().hex[:8]}"})
    case = await api.walk("referral")
    pairing = await _ok(api, f"/neighbour/helpers/{helper['id']}/pairings", "jiedao",
                        {"case_id": case, "content": "助餐、助洁", "started_on": "2020-01-01"})
    return helper["id"], case, pairing["id"]


async def _record(api: Api, pairing: str, day: str, count: int = 1, approve: bool | None = True) -> str:
    rec = await _ok(api, f"/neighbour/pairings/{pairing}/records", "xieliyuan",
                    {"served_on": day, "content": "上门助洁", "count": count, "minutes": 60})
    if approve is not None:
        await _ok(api, f"/neighbour/records/{rec['id']}/review", "jiedao",
                  {"approve": approve, "reason": None if approve else "当日服务对象住院，未实际上门"})
    return str(rec["id"])


async def _statement(api: Api, year: int, statement_id: str | None = None) -> Any:
    run = await _ok(api, "/neighbour-settlements", "minzheng", {"year": year})
    sid = statement_id or run["statements"][0]
    return run, await _get(api, f"/neighbour-settlements/{sid}", "jiedao")


async def test_neighbour_help_is_paid_once_in_a_yearly_statement(api: Api, sessions: Sessions) -> None:
    helper, case, pairing = await _paired(api)
    shown = await _get(api, f"/neighbour/helpers/{helper}", "jiedao")
    assert shown["account_masked"] == "****1234" and ACCOUNT not in str(shown)
    modes = (await _get(api, f"/cases/{case}/modes", "jiedao"))["modes"]
    assert [(m["mode_name"], m["party_name"], m["paid_by_settlement"]) for m in modes] == [
        ("邻里互助服务", "李大姐", True)]

    await _record(api, pairing, "2024-03-05", count=2)
    await _record(api, pairing, "2024-06-10")
    rejected = await _record(api, pairing, "2024-07-01", approve=False)
    pending = await _record(api, pairing, "2024-08-01", approve=None)  # never reviewed: not paid

    _, first = await _statement(api, 2024)
    assert (first["year"], first["status_zh"], first["total_amount"], first["record_count"]) == (
        2024, "待县级审批", "90.00", 2)
    assert [(x["helper_name"], x["kind_zh"], x["quantity"], x["amount"]) for x in first["lines"]] == [
        ("李大姐", "本年度", 3, "90.00")]
    _, again = await _statement(api, 2024, first["id"])  # a re-run: identical
    assert (again["version"], again["content_sha256"]) == (first["version"], first["content_sha256"])

    approved = await _ok(api, f"/neighbour-settlements/{first['id']}/approval", "minzheng",
                         {"version": first["version"]})
    assert approved["status_zh"] == "已审批"
    files = {f["kind"]: f for f in approved["files"]}
    download = await api.get(f"/neighbour-settlements/{first['id']}/files/csv", "jiedao")
    assert download.status_code == 200
    assert hashlib.sha256(download.content).hexdigest() == files["csv"]["sha256"]
    bank = download.content.decode("utf-8-sig")
    assert "李大姐" in bank and ACCOUNT in bank and "90.00" in bank and "2024年度邻里互助帮扶补贴" in bank
    xlsx = await api.get(f"/neighbour-settlements/{first['id']}/files/xlsx", "minzheng")
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["年度结算单", "补贴明细", "发放清单"]
    detail = list(book["补贴明细"].iter_rows(values_only=True))
    assert detail[1][1:6] == ("李大姐", "杏花村社区(演示)", 2024, "本年度", "按次") and detail[-1][-1] == Decimal("90")

    # Approved after the statement: the 2024 statement stays locked; the 2025 run pays it as an adjustment.
    await _ok(api, f"/neighbour/records/{pending}/review", "jiedao", {"approve": True})
    rerun, locked = await _statement(api, 2024, first["id"])
    assert rerun["locked"] == [first["id"]] and locked["total_amount"] == "90.00"
    async with sessions() as session:
        ledger = await session.execute(text(
            "SELECT count(*) FROM neighbour_statement_records WHERE statement_id = :id"), {"id": first["id"]})
        assert ledger.scalar_one() == 2  # the late record did not join the approved statement
    _, later = await _statement(api, 2025)
    assert (later["total_amount"], later["adjustment_amount"], later["record_count"]) == ("30.00", "30.00", 1)
    assert [(x["service_year"], x["kind_zh"]) for x in later["lines"]] == [(2024, "补结往年")]

    records = {r["id"]: r for r in await _get(api, "/neighbour/records", "jiedao", year=2024)}
    assert records[rejected]["statement_id"] is None and records[rejected]["status_zh"] == "审核不通过"
    assert records[pending]["statement_id"] == later["id"]
    assert sum(1 for r in records.values() if r["statement_id"] == first["id"]) == 2

    paid = await _ok(api, f"/neighbour-settlements/{first['id']}/payment", "jiedao",
                     {"paid_on": "2025-01-20", "voucher_no": "PZ-2025-0008"})
    assert paid["status_zh"] == "已发放"

    ended = await _ok(api, f"/neighbour/pairings/{pairing}/end", "jiedao",
                      {"ended_on": "2025-06-30", "reason": "服务对象入住敬老院"})
    assert ended["ended_on"] == "2025-06-30"
    modes = (await _get(api, f"/cases/{case}/modes", "jiedao"))["modes"]
    assert (modes[0]["ended_on"], modes[0]["end_reason"]) == ("2025-06-30", "服务对象入住敬老院")


async def test_an_approved_statement_is_locked_in_the_database(api: Api, sessions: Sessions) -> None:
    _, _, pairing = await _paired(api)
    await _record(api, pairing, "2021-05-05")
    _, statement = await _statement(api, 2021)
    await _ok(api, f"/neighbour-settlements/{statement['id']}/approval", "minzheng", {"version": statement["version"]})
    async with sessions() as session:
        try:
            await session.execute(text("UPDATE neighbour_statement_records SET amount = 0 WHERE statement_id = :id"),
                                  {"id": statement["id"]})
            raise AssertionError("a locked statement's ledger changed")
        except Exception as err:  # the trigger refuses
            assert "locked" in str(err)


async def test_return_and_refusals_in_chinese(api: Api) -> None:
    _, _, pairing = await _paired(api)
    await _record(api, pairing, "2022-09-09")
    _, statement = await _statement(api, 2022)

    stale = await api.post(f"/neighbour-settlements/{statement['id']}/approval", "minzheng",
                           {"version": statement["version"] + 1})
    assert stale.status_code == 409 and "重新计算" in stale.json()["message"]
    by_township = await api.post(f"/neighbour-settlements/{statement['id']}/approval", "jiedao",
                                 {"version": statement["version"]})
    assert by_township.status_code == 403 and by_township.json()["message"] == "此操作由县级民政部门办理"
    unpaid = await api.post(f"/neighbour-settlements/{statement['id']}/payment", "jiedao",
                            {"paid_on": "2025-01-20", "voucher_no": "PZ-1"})
    assert unpaid.status_code == 409 and unpaid.json()["message"] == "结算单尚未审批，不能登记发放"

    returned = await _ok(api, f"/neighbour-settlements/{statement['id']}/return", "minzheng",
                         {"version": statement["version"], "reason": "服务次数与村务公开记录不符，请核实"})
    assert (returned["status_zh"], returned["return_reason"]) == ("已退回", "服务次数与村务公开记录不符，请核实")
    approve_returned = await api.post(f"/neighbour-settlements/{statement['id']}/approval", "minzheng",
                                      {"version": statement["version"]})
    assert approve_returned.status_code == 409 and "已退回" in approve_returned.json()["message"]
    _, rerun = await _statement(api, 2022, statement["id"])  # re-run after the return: a draft again
    assert (rerun["status_zh"], rerun["version"]) == ("待县级审批", statement["version"])

    record = await _ok(api, f"/neighbour/pairings/{pairing}/records", "xieliyuan",
                       {"served_on": "2022-10-10", "content": "陪同就医"})
    no_reason = await api.post(f"/neighbour/records/{record['id']}/review", "jiedao", {"approve": False})
    assert no_reason.status_code == 422 and no_reason.json()["message"] == "审核不通过须写明理由"
    by_provider = await api.post(f"/neighbour/pairings/{pairing}/records", "jiedao",
                                 {"served_on": "2022-10-11", "content": "陪同就医"})
    assert by_provider.status_code == 403 and "协理员" in by_provider.json()["message"]
    future = await api.post("/neighbour-settlements", "minzheng", {"year": 2100})
    assert future.status_code == 422 and future.json()["message"] == "2100年度尚未结束，不能结算"
    outside = await api.post(f"/neighbour/pairings/{pairing}/records", "xieliyuan",
                             {"served_on": "2019-12-31", "content": "上门助洁"})
    assert outside.status_code == 422 and outside.json()["message"] == "服务日期不在结对期间内"


async def test_another_township_finds_nothing(api: Api) -> None:
    helper, case, pairing = await _paired(api)
    record = await _record(api, pairing, "2023-04-04")
    _, statement = await _statement(api, 2023)
    sid = statement["id"]
    for path, known in ((f"/neighbour/helpers/{helper}", helper), (f"/neighbour-settlements/{sid}", sid),
                        (f"/neighbour-settlements/{sid}/files/csv", sid)):
        foreign = await api.get(path, "jiedao2")
        absent = await api.get(path.replace(known, str(uuid.uuid4())), "jiedao2")
        assert foreign.status_code == absent.status_code == 404, path
        assert foreign.json() == absent.json()
    for path, known, user, body in (
        (f"/neighbour/records/{record}/review", record, "jiedao2", {"approve": True}),
        (f"/neighbour/pairings/{pairing}/end", pairing, "jiedao2", {"ended_on": "2025-01-01", "reason": "调整结对"}),
        (f"/neighbour/pairings/{pairing}/records", pairing, "xieliyuan2",
         {"served_on": "2023-04-05", "content": "上门助洁"}),
        (f"/neighbour-settlements/{sid}/approval", sid, "jiedao2", {"version": 1}),
    ):
        foreign = await api.post(path, user, body)
        absent = await api.post(path.replace(known, str(uuid.uuid4())), user, body)
        assert foreign.status_code == absent.status_code == 404, (path, foreign.text)
        assert foreign.json() == absent.json()
    assert await _get(api, "/neighbour/helpers", "jiedao2") == []
    assert await _get(api, "/neighbour/records", "xieliyuan2") == []
    assert await _get(api, "/neighbour-settlements", "jiedao2") == []
    # A township cannot pair its helper with another township's case: the case is not found.
    other = await api.post(f"/neighbour/helpers/{helper}/pairings", "jiedao2",
                           {"case_id": case, "content": "助餐", "started_on": "2024-01-01"})
    assert other.status_code == 404


async def test_a_double_click_writes_once(api: Api) -> None:
    body = {**HELPER, "certificate_no": f"PX-{uuid.uuid4().hex[:8]}"}
    first, second = [await _ok(api, "/neighbour/helpers", "jiedao", body) for _ in range(2)]
    assert first["id"] == second["id"]
    case = await api.walk("referral")
    pair = {"case_id": case, "content": "助洁", "started_on": "2020-02-01"}
    one, two = [await _ok(api, f"/neighbour/helpers/{first['id']}/pairings", "jiedao", pair) for _ in range(2)]
    assert one["id"] == two["id"]
    service = {"served_on": "2020-02-03", "content": "上门助洁", "count": 2}
    a, b = [await _ok(api, f"/neighbour/pairings/{one['id']}/records", "xieliyuan", service) for _ in range(2)]
    assert a["id"] == b["id"]
    other = await api.post(f"/neighbour/pairings/{one['id']}/records", "xieliyuan", {**service, "count": 3})
    assert other.status_code == 409 and "同日多次服务请合并登记次数" in other.json()["message"]
    end = {"ended_on": "2020-12-31", "reason": "服务对象搬迁"}
    await _ok(api, f"/neighbour/pairings/{one['id']}/end", "jiedao", end)
    again = await _ok(api, f"/neighbour/pairings/{one['id']}/end", "jiedao", {**end, "ended_on": "2021-01-31"})
    assert again["ended_on"] == "2020-12-31"
    modes = (await _get(api, f"/cases/{case}/modes", "jiedao"))["modes"]
    assert [(m["mode_name"], m["ended_on"]) for m in modes] == [("邻里互助服务", "2020-12-31")]
