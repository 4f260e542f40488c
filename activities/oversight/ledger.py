"""The needs ledger (需求台账, 000 二(一); 001 三(五)3: 村(社区)建立本村服务类社会救助工作台账): for every surveyed
person in a village, township or county, the seven dimensions of the needs assessment, their own requests, what
was approved and what is being served — and the needs still unmet."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from vocabulary.case import Dimension, Outcome, ReviewDecision

NEED_SCORE = 2  # an assessment score from which a dimension counts as a need (0 none … 4 severe)
_ROWS = text("""
SELECT c.id AS case_id, p.name, c.village_code, COALESCE(v.name, c.village_code) AS village, c.township_code,
       c.status, c.outcome, s.assessments, s.own_requests, r.decision, r.difficulty_type,
       (SELECT COALESCE(jsonb_agg(jsonb_build_object('item', COALESCE(si.name, a.item_code), 'code', a.item_code,
                                                     'quantity', a.quantity_per_month, 'mode', a.mode)
                                  ORDER BY a.item_code), '[]')
        FROM approved_items a LEFT JOIN service_items si ON si.county_code = c.county_code AND si.code = a.item_code
        WHERE a.case_id = c.id) AS approved,
       sp.items AS planned
FROM surveys s
JOIN cases c ON c.id = s.case_id
JOIN persons p ON p.id = c.person_id
LEFT JOIN reviews r ON r.case_id = c.id
LEFT JOIN service_plans sp ON sp.case_id = c.id
LEFT JOIN divisions v ON v.code = c.village_code
WHERE starts_with(c.village_code, :scope)
ORDER BY c.village_code, p.name, c.id
""")
DIMENSIONS = list(Dimension)
HEADERS = ("村(社区)", "姓名", *(d.zh for d in DIMENSIONS), "本人诉求", "审核结果", "困难类型", "批准服务",
           "服务方案", "未满足需求")


def unmet(row: Any) -> str:
    """What of the person's needs is not being met, in words; empty when what was approved is being served."""
    needs = [a["dimension"] for a in row.assessments if a["score"] >= NEED_SCORE]
    if row.decision is None:
        return "尚未审核确认" if row.status == "open" else "未经审核即办结"
    if row.decision == ReviewDecision.REFUSE.value:
        return "审核不予确认，需求未纳入服务" + ("：" + "、".join(Dimension.label(d) for d in needs) if needs else "")
    if row.planned is None:
        return "无服务供给主体承接" if row.outcome == Outcome.NO_PROVIDER.value else "已批准，尚未开始服务"
    planned = {i["item_code"]: i["quantity_per_month"] for i in row.planned}
    # Only items approved for 政府购买服务 are the provider's to plan; the other modes deliver the rest.
    short = [f"{a['item']}(批准{a['quantity']}，方案{planned.get(a['code'], 0)})" for a in row.approved
             if a.get("mode", "purchase") == "purchase" and planned.get(a["code"], 0) < a["quantity"]]
    return ("服务方案少于批准：" + "、".join(short)) if short else ""


def line(row: Any) -> dict[str, Any]:
    scores = {a["dimension"]: a["score"] for a in row.assessments}
    return {"case_id": str(row.case_id), "village_code": row.village_code, "village": row.village, "name": row.name,
            "scores": {d.value: scores.get(d.value) for d in DIMENSIONS}, "own_requests": row.own_requests,
            "decision": ReviewDecision.label(row.decision) if row.decision else None,
            "difficulty_type": row.difficulty_type,
            "approved": [f"{a['item']}×{a['quantity']}" for a in row.approved],
            "planned": [f"{i['item_code']}×{i['quantity_per_month']}" for i in row.planned or []],
            "unmet": unmet(row)}


async def ledger(session: AsyncSession, scope: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(the per-village summary, the lines) of the ledger of a division."""
    lines = [line(r) for r in (await session.execute(_ROWS, {"scope": scope})).all()]
    summary: dict[str, dict[str, Any]] = {}
    for ln in lines:
        s = summary.setdefault(ln["village_code"], {
            "village_code": ln["village_code"], "village": ln["village"], "surveyed": 0, "own_requests": 0,
            "approved": 0, "unmet": 0, "needs": {d.value: 0 for d in DIMENSIONS}})
        s["surveyed"] += 1
        s["own_requests"] += bool(ln["own_requests"])
        s["approved"] += bool(ln["approved"])
        s["unmet"] += bool(ln["unmet"])
        for d, score in ln["scores"].items():
            s["needs"][d] += score is not None and score >= NEED_SCORE
    return list(summary.values()), lines


def ledger_xlsx(title: str, summary: Sequence[dict[str, Any]], lines: Sequence[dict[str, Any]]) -> bytes:
    book = Workbook()
    first = book.active
    assert first is not None
    first.title = "汇总"
    first.append([f"{title}服务类社会救助需求台账"])
    first.append(["村(社区)", "调查人数", *(f"{d.zh}需求" for d in DIMENSIONS), "提出本人诉求", "批准服务",
                  "存在未满足需求"])
    for s in summary:
        first.append([s["village"], s["surveyed"], *(s["needs"][d.value] for d in DIMENSIONS), s["own_requests"],
                      s["approved"], s["unmet"]])
    detail = book.create_sheet("明细")
    detail.append(list(HEADERS))
    for ln in lines:
        detail.append([ln["village"], ln["name"], *(ln["scores"][d.value] for d in DIMENSIONS), ln["own_requests"],
                       ln["decision"] or "", ln["difficulty_type"] or "", "、".join(ln["approved"]),
                       "、".join(ln["planned"]), ln["unmet"]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
