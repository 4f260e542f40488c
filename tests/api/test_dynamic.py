"""动态管理 over HTTP on real PostgreSQL and Temporal: the monthly roster import (bad rows with Chinese reasons in
a workbook, idempotency, jurisdiction, the events reaching open cases), the screening list and the discovery
cases it opens, the monthly report, and the written documents (their text carries the reasons and deadlines).
ID numbers never come back in any answer."""

from __future__ import annotations

import asyncio
import io
from datetime import datetime
from typing import Any

from openpyxl import load_workbook
from pypdf import PdfReader

from devstack.seed import OTHER_VILLAGE, VILLAGE
from tests import oracle
from tests.flow import Api, new_person
from vocabulary.china import CHINA

HEADER = "姓名,身份证号码,村(社区)代码,救助类别,变动类型,变动日期\n"


def csv_of(rows: list[tuple[str, ...]]) -> bytes:
    return (HEADER + "".join(",".join(r) + "\n" for r in rows)).encode("utf-8-sig")


async def upload(api: Api, data: bytes, user: str = "minzheng", name: str = "名单.csv") -> Any:
    return await api.http.post("/dynamic/roster-imports", headers=api.headers(user),
                               files={"file": (name, data, "text/csv")})


async def finished(api: Api, import_id: str) -> dict[str, Any]:
    for _ in range(300):
        job: dict[str, Any] = (await api.get(f"/dynamic/roster-imports/{import_id}", "minzheng")).json()
        if job["status"] in ("done", "failed"):
            return job
        await asyncio.sleep(0.1)
    raise AssertionError("the import never finished")


async def in_service(api: Api, person: dict[str, Any]) -> str:
    case = await api.open(person=person)
    for move in (api.to_survey, api.to_review, api.to_referral, api.to_service, api.to_archiving,
                 api.to_dynamic_management):
        await move(case)
    return case


def pdf_text(data: bytes) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).replace("\n", "").replace(" ", "")


async def test_roster_import_screening_and_report(api: Api) -> None:
    served, leaving = new_person(name="赵服务"), new_person(name="钱退出")
    changed_case, exited_case = await in_service(api, served), await in_service(api, leaving)
    fresh, fresh2 = new_person(name="孙新增"), new_person(village=OTHER_VILLAGE, name="李新增")
    bad_digit = fresh["id_number"][:17] + ("0" if fresh["id_number"][17] != "0" else "1")
    day = api.today.isoformat()
    rows = [
        ("孙新增", fresh["id_number"], VILLAGE, "特困人员", "新增", day),
        ("李新增", fresh2["id_number"], OTHER_VILLAGE, "低保", "新增", day),
        ("赵服务", served["id_number"], VILLAGE, "低保对象", "变更", day),
        ("钱退出", leaving["id_number"], VILLAGE, "特困人员", "退出", day),
        ("孙新增", fresh["id_number"], VILLAGE, "特困人员", "新增", day),  # the same row twice: once
        ("周错误", bad_digit, VILLAGE, "特困人员", "新增", day),
        ("吴外县", new_person()["id_number"], "341703001001", "特困人员", "新增", day),
        ("郑类别", new_person()["id_number"], VILLAGE, "五保", "新增", day),
        ("王类型", new_person()["id_number"], VILLAGE, "特困人员", "迁入", "2026-13-01"),
    ]
    data = csv_of(rows)
    assert (await upload(api, data, "jiedao")).status_code == 403  # county officers import
    first = await upload(api, data)
    assert first.status_code == 202, first.text
    job = await finished(api, first.json()["id"])
    assert (job["status"], job["total_rows"], job["bad_rows"], job["screenings"], job["events"]) == (
        "done", 9, 4, 2, 2), job
    assert (job["progress_percent"], job["has_errors_file"]) == (100, True)
    again = await upload(api, data)  # the same file: the same import, nothing imported twice
    assert (again.status_code, again.json()["id"]) == (200, job["id"])
    reordered = await upload(api, csv_of(list(reversed(rows))), name="名单-重排.csv")
    second = await finished(api, reordered.json()["id"])
    assert (second["bad_rows"], second["events"], second["screenings"]) == (4, 0, 0)  # the same rows: no change
    assert (await api.get(f"/dynamic/roster-imports/{job['id']}", "jiedao")).status_code == 404

    errors = await api.http.get(f"/dynamic/roster-imports/{job['id']}/errors", headers=api.headers("minzheng"))
    sheet = load_workbook(io.BytesIO(errors.content)).worksheets[0]
    reasons = {row[1]: row[-1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert reasons == {"周错误": "身份证号码校验位错误", "吴外县": "村(社区)不在导入人的管辖范围内",
                       "郑类别": "救助类别“五保”无法识别",
                       "王类型": "变动类型“迁入”无法识别(应为新增、变更、退出或死亡)；"
                                 "变动日期无效(应为如2026-11-01的日期)"}

    # The exit reached its open case as a task for the township (the change too).
    for case in (changed_case, exited_case):
        for _ in range(100):
            state = await api.state(case)
            if state.task_events:
                break
            await asyncio.sleep(0.1)
        assert state.task_events and state.position.holder_role == "township_worker", case

    # The village assistant's screening list: own village only; need opens a discovery case, or no need.
    mine = (await api.get("/dynamic/screenings", "xieliyuan", status="pending")).json()
    names = {s["person_name"]: s for s in mine}
    assert "孙新增" in names and "李新增" not in names
    due = oracle.add(datetime.now(CHINA).date(), 10)[0]
    assert names["孙新增"]["due_on"] == due.isoformat() and names["孙新增"]["overdue"] is False
    other = (await api.get("/dynamic/screenings", "xieliyuan2", status="pending")).json()
    li = next(s for s in other if s["person_name"] == "李新增")
    assert (await api.post(f"/dynamic/screenings/{li['id']}/need", "xieliyuan",
                           {"need_description": "x"})).status_code == 404  # another village's: as if absent
    need = await api.ok(f"/dynamic/screenings/{names['孙新增']['id']}/need", "xieliyuan",
                        {"need_description": "独居，需要助餐"})
    assert need["status"] == "need" and need["case_id"]
    again_need = await api.ok(f"/dynamic/screenings/{names['孙新增']['id']}/need", "xieliyuan",
                              {"need_description": "独居，需要助餐"})
    assert again_need["case_id"] == need["case_id"]
    case = (await api.get(f"/cases/{need['case_id']}", "jiedao")).json()
    assert (case["channel"], case["step"]) == ("monitoring", "registration")
    no_need = await api.ok(f"/dynamic/screenings/{li['id']}/no-need", "xieliyuan2", {"reason": "子女照料，暂无需求"})
    assert no_need["status_zh"] == "暂无服务需求"

    report = (await api.get("/dynamic/report", "jiedao", period=api.today.strftime("%Y-%m"))).json()
    village = next(r for r in report if r["code"] == VILLAGE)
    assert village["new_recipients"] >= 1 and village["cases_opened"] >= 1 and village["exited"] >= 1
    assert all(r["code"].startswith("341702001") for r in report)  # the township's own villages only
    everything = first.text + again.text + errors.text + str(mine) + str(report)
    assert not any(p["id_number"] in everything for p in (served, leaving, fresh, fresh2))


async def test_refusal_notice_and_decision_documents(api: Api) -> None:
    refused = await api.open()
    await api.to_survey(refused)
    await api.to_review(refused)
    await api.ok(f"/cases/{refused}/review", "jiedao", {"decision": "refuse",
                                                        "reasons": "家庭成员可提供照料，暂不符合条件"})
    docs = (await api.get(f"/cases/{refused}/documents", "jiedao")).json()
    letter = next(d for d in docs if d["kind"] == "refusal_letter")
    content = await api.http.get(f"/cases/{refused}/documents/{letter['id']}/content",
                                 headers=api.headers("jiedao"))
    text = pdf_text(content.content)
    assert "不予救助决定书" in text and "家庭成员可提供照料" in text and "行政复议" in text and "行政诉讼" in text
    assert (await api.get(f"/cases/{refused}/documents", "jiedao2")).status_code == 404

    person = new_person()
    case = await in_service(api, person)
    await api.post(f"/cases/{case}/status-events", "xieliyuan", {
        "change": "institution", "effective_on": api.today.isoformat(), "evidence": "已入住敬老院"})
    proposal = {"kind": "stop", "reasons": "已入住敬老院集中供养", "facts": "服务对象已于本月入住敬老院。",
                "effective_on": api.today.isoformat()}
    for _ in range(100):
        r = await api.post(f"/cases/{case}/dynamic/proposal", "jiedao", proposal)
        if r.status_code != 409 or r.json()["code"] != "wrong_step":
            break
        await asyncio.sleep(0.1)
    assert r.status_code == 200, r.text
    early = await api.post(f"/cases/{case}/dynamic/decision", "jiedao", {
        "result": "stop", "reasons": "已入住敬老院", "statement_considered": "无",
        "effective_on": api.today.isoformat()})
    assert (early.status_code, early.json()["code"]) == (409, "hearing_not_over")
    assert "陈述申辩期限" in early.json()["message"]
    notice = next(d for d in (await api.get(f"/cases/{case}/documents", "jiedao")).json()
                  if d["kind"] == "hearing_notice")
    text = pdf_text((await api.http.get(f"/cases/{case}/documents/{notice['id']}/content",
                                        headers=api.headers("jiedao"))).content)
    ends = oracle.add(datetime.now(CHINA).date(), 5)[0]
    assert "拟终止救助服务告知书" in text and "已入住敬老院集中供养" in text
    assert f"{ends.year}年{ends.month}月{ends.day}日前" in text
    await api.ok(f"/cases/{case}/dynamic/statement", "xieliyuan", {"by": "recipient", "statement": "同意终止"})
    done = await api.ok(f"/cases/{case}/dynamic/decision", "jiedao", {
        "result": "stop", "reasons": "已入住敬老院，由机构提供照料。", "statement_considered": "本人同意，予以采纳。",
        "effective_on": api.today.isoformat()})
    assert done["outcome"] == "stopped"
    decision = next(d for d in (await api.get(f"/cases/{case}/documents", "jiedao")).json()
                    if d["kind"] == "service_decision")
    text = pdf_text((await api.http.get(f"/cases/{case}/documents/{decision['id']}/content",
                                        headers=api.headers("jiedao"))).content)
    assert "终止救助服务决定书" in text and "同意终止" in text and "本人同意，予以采纳" in text and "60日内" in text
    dynamic = (await api.get(f"/cases/{case}/dynamic", "jiedao")).json()
    assert dynamic["decisions"][0]["result"] == "stop" and dynamic["hearings"][0]["statement"] == "同意终止"
    again = await api.open(person=person)  # services stopped: the person may apply again, linked to the last case
    assert (await api.get(f"/cases/{again}", "jiedao")).json()["earlier_cases"] == [case]
