"""The oversight, dynamic-management and accounts objects of a jurisdiction, made through the API by its own
people: a complaint about a case's provider (answered as found true, so it opens a rectification), a long-term
notice publication with an objection to it, the month's satisfaction visit, an inspector, a roster import (one
good row, which becomes a screening, and one bad row, so the import has an errors workbook) and a user.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from typing import Any, Protocol
from uuid import UUID

from sqlalchemy import text

from models.payloads.actor import Actor
from tests.flow import new_person

ROSTER_HEADER = "姓名,身份证号码,村(社区)代码,救助类别,变动类型,变动日期\n"


class Caller(Protocol):
    sessions: Any

    async def ok(self, method: str, path: str, actor: Actor, body: Any = None) -> Any: ...

    async def upload(self, path: str, actor: Actor, name: str, data: bytes) -> Any: ...


@dataclass(frozen=True)
class People:
    """The people of one jurisdiction who make its objects."""

    officer: Actor  # the county officer
    worker: Actor  # a township worker of the township the objects belong to
    assistant: Actor  # a village assistant of `village`
    provider: Actor  # the provider serving `case`
    village: str
    case: str


async def oversight_objects(maker: Caller, who: People, tag: str, user: str | None = None) -> dict[str, str]:
    """One object of each oversight / dynamic / accounts kind in `who`'s village (by the matrix's kind names).
    `user`: an existing user of the jurisdiction; otherwise the county officer creates one."""
    complaint = (await maker.ok("POST", "/complaints", who.worker, {
        "channel": "letter", "category": "service_quality", "content": "来信反映服务人员迟到",
        "case_id": who.case, "handler": "provider"}))["id"]
    await maker.ok("POST", f"/complaints/{complaint}/acceptance", who.provider)
    await maker.ok("POST", f"/complaints/{complaint}/reply", who.provider,
                   {"reply": "经查属实，已批评教育", "upheld": True})
    rectification = next(r["id"] for r in await maker.ok("GET", "/rectifications", who.provider)
                         if r["source_id"] == complaint)
    (publication,) = await maker.ok("POST", "/notices/publications", who.worker, {"village_code": who.village})
    objection = (await maker.ok("POST", f"/notices/publications/{publication['id']}/objections", who.assistant,
                                {"content": "此人已外出务工"}))["id"]
    visit = await visit_of(maker, who)
    inspector = (await maker.ok("POST", "/checks/inspectors", who.officer, {"name": f"检查员{tag}"}))["id"]
    good, bad = new_person(village=who.village)["id_number"], new_person(village=who.village)["id_number"]
    wrong = bad[:17] + ("0" if bad[17] != "0" else "1")  # a wrong check digit: the row not imported
    roster = (ROSTER_HEADER + f"孙新增,{good},{who.village},特困人员,新增,2026-10-12\n"
              f"周错误,{wrong},{who.village},特困人员,新增,2026-10-12\n").encode("utf-8-sig")
    job = await maker.upload("/dynamic/roster-imports", who.officer, f"名单{tag}.csv", roster)
    for _ in range(300):
        job = await maker.ok("GET", f"/dynamic/roster-imports/{job['id']}", who.officer)
        if job["status"] in ("done", "failed"):
            break
        await asyncio.sleep(0.1)
    assert (job["status"], job["screenings"], job["has_errors_file"]) == ("done", 1, True), job
    screening = next(s["id"] for s in await maker.ok("GET", "/dynamic/screenings", who.officer)
                     if s["village_code"] == who.village)
    if user is None:
        user = (await maker.ok("POST", "/users", who.officer, {
            "username": f"matrix{tag}", "full_name": "外县协理员", "role": "village_assistant",
            "jurisdiction": who.village, "password": "matrix12345"}))["id"]
    return {"complaint": complaint, "rectification": rectification, "publication": publication["id"],
            "objection": objection, "visit": visit, "inspector": inspector, "roster_import": job["id"],
            "screening": screening, "user": str(UUID(user))}


async def visit_of(maker: Caller, who: People) -> str:
    """A return visit of the jurisdiction's case. The county's draw is one per month and samples each provider's
    cases at random (other tests' cases included), so the case may not be drawn: then its visit is added to the
    draw, as a drawn one would be."""
    draw = await maker.ok("POST", "/visits/draws", who.officer, {"period": "2026-11"})
    drawn = [v["id"] for v in await maker.ok("GET", "/visits?period=2026-11", who.officer)
             if v["village_code"] == who.village]
    if drawn:
        return str(drawn[0])
    visit = uuid.uuid4()
    async with maker.sessions.begin() as s:
        await s.execute(text("""
            INSERT INTO satisfaction_visits (id, draw_id, period, case_id, provider_id, county_code, township_code,
                                             village_code,
                                status, attempts)
            SELECT :id, :draw, '2026-11', id, provider_id, county_code, township_code, village_code, 'pending', 0
            FROM cases WHERE id = :case"""), {"id": visit, "draw": uuid.UUID(draw["id"]), "case": uuid.UUID(who.case)})
    return str(visit)
