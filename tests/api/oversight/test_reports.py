"""The needs ledger and its export, the month's satisfaction visits, the evaluation report and the agreement's
acceptance, and the county overview."""

from __future__ import annotations

import io
import json
import uuid

from openpyxl import load_workbook
from sqlalchemy import text

from infra.db import Sessions
from tests.api.conftest import Http
from tests.world import World, add_cases
from vocabulary.case import Dimension, Role


def survey(scores: dict[str, int]) -> str:
    return json.dumps([{"dimension": d.value, "score": scores.get(d.value, 0)} for d in Dimension])


async def surveyed(sessions: Sessions, world: World) -> list[uuid.UUID]:
    """Three surveyed people: served as approved; approved more than the plan gives; refused."""
    async with sessions.begin() as s:
        cases = await add_cases(s, world, 3)
        names = ("甲服务", "乙不足", "丙不予")
        for case, name, scores, decision in zip(cases, names, ({"health": 3}, {"housing": 2, "economy": 4},
                                                                {"health": 1}), ("approve", "approve", "refuse"),
                                                 strict=True):
            await s.execute(text("UPDATE persons SET name = :n WHERE id = (SELECT person_id FROM cases WHERE id = :c)"),
                            {"n": name, "c": case})
            await s.execute(text("""
                INSERT INTO surveys (case_id, visited_on, surveyors, identity_checked, signed_by_both, assessments,
                                     own_requests, existing_benefits, recorded_by, recorded_at)
                VALUES (:c, '2026-01-02', '[]', true, true, CAST(:a AS jsonb), '希望上门助洁', '[]', :c, now())"""),
                {"c": case, "a": survey(scores)})
            await s.execute(text("INSERT INTO reviews (case_id, decision, reasons, eligibility_basis, decided_by, "
                                 "decided_at) VALUES (:c, :d, '依据调查', '特困人员', :c, now())"),
                            {"c": case, "d": decision})
        await s.execute(text("UPDATE approved_items SET quantity_per_month = 12 WHERE case_id = :c "
                             "AND item_code = 'cleaning_aid'"), {"c": cases[1]})
        await s.execute(text("DELETE FROM service_plans WHERE case_id = :c"), {"c": cases[2]})
        await s.execute(text("DELETE FROM approved_items WHERE case_id = :c"), {"c": cases[2]})
        await s.execute(text("UPDATE cases SET status = 'closed', outcome = 'refused', step = 'review' WHERE id = :c"),
                        {"c": cases[2]})
    return cases


async def test_the_needs_ledger_shows_unmet_needs_and_exports(ohttp: Http, sessions: Sessions, world: World) -> None:
    await surveyed(sessions, world)
    assistant = world.actor(Role.VILLAGE_ASSISTANT)
    got = await ohttp.ok("GET", "/ledger", assistant)
    assert got["division_code"] == world.village and got["total"] == 3
    (summary,) = got["summary"]
    assert (summary["surveyed"], summary["approved"], summary["unmet"], summary["own_requests"]) == (3, 2, 2, 3)
    assert summary["needs"] == {d.value: {"health": 1, "housing": 1, "economy": 1}.get(d.value, 0) for d in Dimension}
    unmet = {line["name"]: line["unmet"] for line in got["lines"]}
    assert unmet["甲服务"] == ""
    assert unmet["乙不足"] == "服务方案少于批准：助洁(批准12，方案8)"
    assert unmet["丙不予"] == "审核不予确认，需求未纳入服务"
    county = await ohttp.ok("GET", "/ledger", world.officer, division_code=world.county)
    assert county["total"] == 3

    export = await ohttp.get("/ledger/export", world.township_worker, division_code=world.village)
    book = load_workbook(io.BytesIO(export.content))
    assert book.sheetnames == ["汇总", "明细"]
    detail = [row for row in book["明细"].iter_rows(values_only=True)]
    assert detail[0][:4] == ("村(社区)", "姓名", "经济", "健康")
    assert [r[1] for r in detail[1:]] == ["丙不予", "乙不足", "甲服务"]
    assert detail[2][-1] == "服务方案少于批准：助洁(批准12，方案8)"
    totals = list(book["汇总"].iter_rows(values_only=True))
    assert totals[2][:2] == ("一号社区", 3)


async def test_a_month_of_satisfaction_visits(ohttp: Http, sessions: Sessions, world: World) -> None:
    async with sessions.begin() as s:
        await add_cases(s, world, 12)
        await add_cases(s, world, 3, provider=world.provider_b)
    made = await ohttp.ok("POST", "/visits/draws", world.officer, {"period": "2026-11", "seed": "visits-01"})
    assert (made["population"], made["sampled"], made["percent"]) == (15, 3, 10)  # 10% of 12 -> 2; of 3 -> 1
    again = await ohttp.ok("POST", "/visits/draws", world.officer, {"period": "2026-11", "seed": "other"})
    assert again["id"] == made["id"]
    assistant = world.actor(Role.VILLAGE_ASSISTANT)
    visits = await ohttp.ok("GET", "/visits", assistant, period="2026-11")
    assert len(visits) == 3 and {v["status"] for v in visits} == {"pending"}
    first, second, third = visits
    missed = await ohttp.ok("POST", f"/visits/{first['id']}", assistant, {"reached": False})
    assert (missed["status"], missed["attempts"]) == ("not_reached", 1)
    reached = await ohttp.ok("POST", f"/visits/{first['id']}", assistant, {"reached": True, "result": "satisfied"})
    assert (reached["status"], reached["attempts"], reached["result"]) == ("done", 2, "satisfied")
    unhappy = await ohttp.ok("POST", f"/visits/{second['id']}", assistant,
                             {"reached": True, "result": "dissatisfied", "comments": "服务人员态度差"})
    assert unhappy["follow_up"] == "rectification" and unhappy["follow_up_id"]
    complaint = await ohttp.ok("POST", f"/visits/{third['id']}", world.township_worker,
                               {"reached": True, "result": "dissatisfied", "follow_up": "complaint"})
    filed = await ohttp.ok("GET", f"/complaints/{complaint['follow_up_id']}", world.township_worker)
    assert (filed["channel"], filed["handler"], filed["status"]) == ("return_visit", "township", "received")
    bad = await ohttp.post(f"/visits/{third['id']}", assistant, {"reached": True})
    assert bad.status_code == 422

    overview = await ohttp.ok("GET", "/oversight/overview", world.officer, year=2026)
    assert overview["satisfaction"]["reached"] == 3 and overview["satisfaction"]["satisfaction_rate"] == "0.3333"
    assert overview["complaints"]["total"] == 1 and overview["rectifications"]["opened"] == 1
    assert {r["category"]: r["in_service"] for r in overview["recipients"]} == {"tekun": 15}


async def test_an_agreement_is_accepted_only_with_its_evaluation(ohttp: Http, world: World) -> None:
    agreement = next(a for a in await ohttp.ok("GET", "/agreements", world.township_worker)
                     if a["purchaser_code"] == world.township)
    path = f"/agreements/{agreement['id']}/status"
    refused = await ohttp.post(path, world.township_worker, {"status": "accepted"})
    assert (refused.status_code, refused.json()["code"]) == (409, "evaluation_missing")
    other = world.actor(Role.TOWNSHIP_WORKER, world.other_township)
    assert (await ohttp.post("/evaluations", other, {"agreement_id": agreement["id"]})).status_code == 404
    evaluation = await ohttp.ok("POST", "/evaluations", world.township_worker, {"agreement_id": agreement["id"]})
    assert set(evaluation["metrics"]) == {"referral_answers", "plans_on_time", "archives_on_time", "delivery",
                                          "spot_checks", "satisfaction", "complaints", "rectifications"}
    report = await ohttp.get(f"/evaluations/{agreement['id']}/xlsx", world.officer)
    rows = list(load_workbook(io.BytesIO(report.content)).active.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert rows[0] == ("指标", "分子", "分母", "得分率", "权重") and rows[1][0] == "转介按时答复率"
    assert (await ohttp.ok("POST", path, world.township_worker, {"status": "accepted"}))["status"] == "accepted"
    frozen = await ohttp.post("/evaluations", world.township_worker, {"agreement_id": agreement["id"]})
    assert (frozen.status_code, frozen.json()["code"]) == (409, "evaluation_frozen")
