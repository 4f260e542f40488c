"""部门联动服务 (001 三(六)3): the county keeps its member units; it refers a recipient's need to one (once per
Idempotency-Key), records the unit's acknowledgement and outcome on its behalf, and the referral shows on the case
while it runs. A referral answered late climbs the task ladder to the county and is reported as late; other
divisions find a referral exactly as one that does not exist."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta

from sqlalchemy import select

from activities.modes.department import refer
from infra.db import Sessions
from models.deadline_tables import NOTIFICATIONS
from models.modes.linkage import LINKAGE_UNITS
from models.tables import CASES
from models.tasks.payloads import TaskStart
from tests import oracle
from tests.api.conftest import Http
from tests.conftest import time_skipping
from tests.world import World, add_cases
from vocabulary.case import Role
from vocabulary.modes_linkage import UnitAction
from worker import build_worker
from workflows.task import TaskWorkflow, task_workflow_id

DAYS = 10  # the documented default of the department_referral rule


async def _unit(http: Http, world: World, name: str = "县卫健委") -> str:
    made = await http.ok("POST", "/linkage-units", world.officer, {"name": name, "services": "健康讲座、社区义诊"})
    return str(made["id"])


async def test_a_referral_from_the_county_to_a_unit_and_back(http: Http, sessions: Sessions, world: World) -> None:
    async with sessions.begin() as s:
        (case,) = await add_cases(s, world, 1)
    officer = world.officer
    unit = await _unit(http, world)
    again = await http.post("/linkage-units", officer, {"name": "县卫健委"})
    assert (again.status_code, again.json()["id"]) == (200, unit)
    assert (await http.post("/linkage-units", world.township_worker, {"name": "县人社局"})).status_code == 403
    assert [u["name"] for u in await http.ok("GET", "/linkage-units", world.township_worker)] == ["县卫健委"]

    body = {"case_id": str(case), "unit_id": unit, "action": "health_management", "need": "高血压日常健康管理"}
    first = await http.post("/department-referrals", officer, body, key="dept-1")
    assert first.status_code == 201, first.text
    made = first.json()
    assert (made["status_zh"], made["unit_name"], made["action_zh"]) == ("已转介", "县卫健委", "健康管理")
    twice = await http.post("/department-referrals", officer, body, key="dept-1")
    assert (twice.status_code, twice.json()["id"]) == (200, made["id"])
    other_body = await http.post("/department-referrals", officer, {**body, "need": "另一需求"}, key="dept-1")
    assert (other_body.status_code, other_body.json()["code"]) == (422, "idempotency_key_reused")
    foreign = await http.post("/department-referrals", world.actor(Role.COUNTY_OFFICER, "349999"), body)
    assert foreign.status_code == 404  # another county's officer: the case is as if absent
    bad = await http.post("/department-referrals", officer, {**body, "need": ""})
    assert bad.status_code == 422 and "need" in bad.text and "内容不能为空" in bad.text

    tasks = (await http.ok("GET", "/inbox/other-tasks", officer))["items"]
    assert [t["kind"] for t in tasks] == ["department_referral"]
    modes = (await http.ok("GET", f"/cases/{case}/modes", world.township_worker))["modes"]
    assert [(m["mode_name"], m["party_name"], m["ended_on"]) for m in modes][1:] == [
        ("部门联动服务", "县卫健委", None)]

    path = f"/department-referrals/{made['id']}"
    assert (await http.ok("GET", path, world.township_worker))["id"] == made["id"]
    for stranger in (world.actor(Role.TOWNSHIP_WORKER, world.other_township),
                     world.actor(Role.COUNTY_OFFICER, "349999"), world.actor(Role.PROVIDER, provider=world.provider_a)):
        foreign, absent = await http.get(path, stranger), await http.get(f"/department-referrals/{uuid.uuid4()}",
                                                                           stranger)
        assert foreign.status_code == absent.status_code == 404 and foreign.json() == absent.json()
    assert (await http.post(f"{path}/acknowledgement", world.township_worker, {})).status_code == 403

    signed = await http.ok("POST", f"{path}/acknowledgement", officer, {"note": "已安排家庭医生签约"})
    assert signed["status_zh"] == "成员单位已签收"
    today = datetime.now(oracle.CHINA).date()
    outcome = {"acted_on": today.isoformat(), "outcome": "家庭医生每月随访一次，已建立健康档案"}
    done = await http.ok("POST", f"{path}/outcome", officer, outcome)
    assert (done["status_zh"], done["reported_on_time"], done["overdue"]) == ("已反馈办理结果", True, False)
    assert (await http.ok("POST", f"{path}/outcome", officer, outcome))["id"] == made["id"]  # sent again
    changed = await http.post(f"{path}/outcome", officer, {**outcome, "outcome": "改"})
    assert (changed.status_code, changed.json()["code"]) == (409, "already_reported")
    assert (await http.ok("GET", "/inbox/other-tasks", officer))["items"] == []
    modes = (await http.ok("GET", f"/cases/{case}/modes", world.township_worker))["modes"]
    assert (modes[1]["ended_on"], modes[1]["end_reason"]) == (today.isoformat(), "成员单位已反馈办理结果")

    await http.ok("PATCH", f"/linkage-units/{unit}", officer, {"active": False})
    closed_unit = await http.post("/department-referrals", officer, body)
    assert (closed_unit.status_code, closed_unit.json()["code"]) == (409, "unit_inactive")


async def test_a_referral_answered_late_is_escalated_to_the_county(
    http: Http, sessions: Sessions, world: World, task_queue: str,
) -> None:
    # Referred on the Monday before National Day: ten working days reach past the holiday.
    referred = datetime(2026, 9, 28, 10, tzinfo=oracle.CHINA)
    due = oracle.add(referred.date(), DAYS)[0]
    unit = await _unit(http, world, "县残联")
    referral_id = uuid.uuid4()
    async with sessions.begin() as s:
        (case_id,) = await add_cases(s, world, 1)
        case = (await s.execute(select(CASES).where(CASES.c.id == case_id))).one()
        unit_row = (await s.execute(select(LINKAGE_UNITS).where(LINKAGE_UNITS.c.id == uuid.UUID(unit)))).one()
        task = await refer(s, referral_id=referral_id, case=case, unit=unit_row, action=UnitAction.TRAINING,
                           need="残疾人就业技能培训", actor_id=world.officer.user_id, at=referred)
    overdue_at = datetime.combine(oracle.add(due, 1)[0], time(9), tzinfo=oracle.CHINA)
    async with time_skipping(referred) as env, build_worker(env.client, sessions, task_queue):
        handle = await env.client.start_workflow(TaskWorkflow.run, TaskStart(task_id=task),
                                                 id=task_workflow_id(task), task_queue=task_queue)
        await env.sleep(overdue_at + timedelta(hours=2) - await env.get_current_time())
        async with sessions() as s:
            sent = (await s.execute(select(NOTIFICATIONS).where(NOTIFICATIONS.c.task_id == task)
                                    .order_by(NOTIFICATIONS.c.created_at))).all()
        await handle.terminate("test over")
    assert [(n.rung, n.recipient_role, n.recipient_scope) for n in sent] == [
        ("reminder", "county_officer", world.county), ("due", "county_officer", world.county),
        ("overdue", "county_officer", world.county)]
    assert "县残联" in sent[0].message and "残疾人" not in sent[0].message  # the need stays off the inbox

    path = f"/department-referrals/{referral_id}"
    late = await http.ok("GET", path, world.officer)
    assert (late["due_on"], late["overdue"]) == (due.isoformat(), True)
    stuck = await http.ok("GET", "/supervision/stuck-tasks", world.officer, reason="overdue")
    assert [t["kind"] for t in stuck["items"] if t["county_code"] == world.county] == ["department_referral"]
    done = await http.ok("POST", f"{path}/outcome", world.officer,
                         {"acted_on": "2026-10-20", "outcome": "已组织参加县残联电商技能培训班"})
    assert (done["status"], done["reported_on_time"], done["acknowledged_at"] is not None) == (
        "reported", False, True)
