"""A 12345 work order through its whole course: intake (the same work order twice is one complaint), the
provider it is assigned to never sees who complained, acceptance, one extension, a reply, the caller's
return visit, one 发回重办, and the close; every limit a task in the inbox and, once late, in the stuck view."""

from __future__ import annotations

from datetime import datetime

from activities.oversight import complaints as flow
from infra.db import Sessions
from tests import oracle
from tests.api.conftest import Http
from tests.api.oversight.conftest import TODAY
from tests.world import World, add_cases
from vocabulary.case import Role

ORDER = {"channel": "hotline", "work_order_no": "AH12345-20261102-0007", "category": "service_quality",
         "content": "助洁服务人员多次迟到早退", "anonymous": False, "confidential": True, "complainant_name": "刘某",
         "complainant_contact": "13800000000", "handler": "provider"}


async def kinds(http: Http, actor: object) -> list[str]:
    return [t["kind"] for t in (await http.ok("GET", "/inbox/other-tasks", actor))["items"]]


async def test_a_work_order_through_redo_to_close(ohttp: Http, sessions: Sessions, world: World) -> None:
    async with sessions.begin() as s:
        (case,) = await add_cases(s, world, 1)
    officer, provider = world.officer, world.actor(Role.PROVIDER, provider=world.provider_a)
    made = await ohttp.ok("POST", "/complaints", officer, {**ORDER, "case_id": str(case)})
    assert (made["status"], made["handler"], made["provider_id"], made["township_code"]) == (
        "received", "provider", str(world.provider_a), world.township)
    again = await ohttp.post("/complaints", officer, {**ORDER, "case_id": str(case)})
    assert (again.status_code, again.json()["id"]) == (200, made["id"])
    path = f"/complaints/{made['id']}"

    seen = await ohttp.ok("GET", path, provider)
    assert (seen["complainant_name"], seen["complainant_contact"], seen["content"]) == (None, None, ORDER["content"])
    assert "刘某" not in str(await ohttp.ok("GET", "/complaints", provider))
    assert (await ohttp.ok("GET", path, officer))["complainant_name"] == "刘某"
    other = world.actor(Role.PROVIDER, provider=world.provider_b)
    assert (await ohttp.get(path, other)).status_code == 404
    assert await kinds(ohttp, provider) == ["complaint_acceptance"]

    assert (await ohttp.post(f"{path}/acceptance", world.township_worker)).status_code == 403
    accepted = await ohttp.ok("POST", f"{path}/acceptance", provider)
    assert (accepted["status"], accepted["accepted_on_time"]) == ("accepted", True)
    assert await kinds(ohttp, provider) == ["complaint_resolution"]
    accepted_on = datetime.fromisoformat(accepted["accepted_at"]).astimezone(oracle.CHINA).date()
    assert accepted["due_on"] == oracle.add(accepted_on, 5)[0].isoformat()  # the default resolution limit
    extended = await ohttp.ok("POST", f"{path}/extension", officer, {"working_days": 3, "reason": "需调取服务记录"})
    assert extended["extended"] is True
    assert extended["due_on"] == oracle.add(accepted_on, 5 + 3)[0].isoformat()
    twice = await ohttp.post(f"{path}/extension", officer, {"working_days": 1, "reason": "再次延期"})
    assert (twice.status_code, twice.json()["code"]) == (409, "already_extended")

    replied = await ohttp.ok("POST", f"{path}/reply", provider, {"reply": "已约谈服务人员", "upheld": False})
    assert (replied["status"], replied["resolved_on_time"]) == ("replied", True)
    assert await kinds(ohttp, officer) == ["complaint_return_visit"]
    redo = await ohttp.ok("POST", f"{path}/return-visit", officer,
                          {"satisfied": False, "reasonable": True, "note": "迟到问题仍未解决"})
    assert (redo["status"], redo["redone"], redo["reply"]) == ("accepted", True, None)
    assert await kinds(ohttp, provider) == ["complaint_resolution"]

    await ohttp.ok("POST", f"{path}/reply", provider, {"reply": "已更换服务人员并补足服务", "upheld": True})
    (rect,) = await ohttp.ok("GET", "/rectifications", provider)
    assert rect["source"] == "complaint"
    closed = await ohttp.ok("POST", f"{path}/return-visit", officer,
                            {"satisfied": False, "reasonable": True, "note": "仍不满意"})
    assert (closed["status"], closed["caller_satisfied"], closed["redone"]) == ("closed", False, True)
    assert await kinds(ohttp, officer) == []


async def test_late_tasks_are_in_the_stuck_view_of_their_jurisdiction_only(
    ohttp: Http, sessions: Sessions, world: World,
) -> None:
    received = datetime(2026, 11, 2, 10, tzinfo=oracle.CHINA)
    async with sessions.begin() as s:
        await flow.receive(s, {k: v for k, v in ORDER.items() if k != "handler"} | {
            "handler": "township", "handler_code": world.township, "county_code": world.county,
            "township_code": world.township, "work_order_no": "AH12345-late", "case_id": None,
            "provider_id": None}, world.officer.user_id, received)
    page = await ohttp.ok("GET", "/supervision/stuck-tasks", world.officer, reason="overdue")
    (late,) = [t for t in page["items"] if t["county_code"] == world.county]
    due = oracle.add(received.date(), 1)[0]
    assert (late["kind"], late["due_on"]) == ("complaint_acceptance", due.isoformat())
    assert late["working_days"] == oracle.between(due, TODAY)
    assert "刘某" not in late["title"]
    mine = await ohttp.ok("GET", "/supervision/stuck-tasks", world.township_worker, reason="overdue")
    assert [t["id"] for t in mine["items"]] == [late["id"]]
    other = world.actor(Role.TOWNSHIP_WORKER, world.other_township)
    assert (await ohttp.ok("GET", "/supervision/stuck-tasks", other, reason="overdue"))["items"] == []
