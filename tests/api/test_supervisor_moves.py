"""A supervisor's two moves on a case, over HTTP: `POST /cases/{id}/assignee` (a lead or the county names the
worker, or hands the case back to the township's queue) and `POST /cases/{id}/retry` (automatic work that failed
until the case was marked blocked runs again once the cause is fixed)."""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy import update

from devstack.seed import user_id
from infra.db import Sessions
from models.tables import CASES
from tests.flow import Api
from workflows.case import CaseWorkflow
from workflows.visibility import case_workflow_id

JIEDAO = str(user_id("jiedao"))
LEAD = str(user_id("jiedaolead"))


async def test_a_lead_names_the_assignee_and_hands_the_case_back_to_the_queue(api: Api) -> None:
    case = await api.walk("registration")  # held by the township: a worker may be named
    refused = await api.post(f"/cases/{case}/assignee", "jiedao", {"assignee_id": LEAD, "reason": "轮岗"})
    assert (refused.status_code, refused.json()["code"]) == (403, "wrong_role")  # not a lead
    assert (refused.json()["message"]) == "改派经办人应由乡镇(街道)分管领导或县级民政部门办理"

    moved = await api.ok(f"/cases/{case}/assignee", "jiedaolead", {"assignee_id": JIEDAO, "reason": "轮岗"},
                         key="assign-1")
    assert (moved["step"], moved["holder_role"], moved["assignee_id"]) == ("registration", "township_worker", JIEDAO)
    again = await api.ok(f"/cases/{case}/assignee", "jiedaolead", {"assignee_id": JIEDAO, "reason": "轮岗"},
                         key="assign-1")
    assert again == moved  # the same request again: the original answer, not a second move
    detail = (await api.get(f"/cases/{case}", "minzheng")).json()
    assert detail["assignee_id"] == JIEDAO
    assert [(h["action"], h["actor_name"]) for h in detail["history"] if h["action"] == "reassign"] == [
        ("reassign", "周分管")]

    back = await api.ok(f"/cases/{case}/assignee", "minzheng", {"assignee_id": None, "reason": "经办人休假"})
    assert (back["step"], back["assignee_id"]) == ("registration", None)
    nothing = await api.post(f"/cases/{case}/assignee", "minzheng", {"assignee_id": None})
    assert (nothing.status_code, nothing.json()["code"]) == (409, "not_assigned")
    assert nothing.json()["message"] == "案件已在乡镇(街道)待办队列中，没有经办人"


async def test_a_provider_held_case_cannot_be_given_a_township_worker(api: Api) -> None:
    case = await api.walk("service")  # the provider holds it
    refused = await api.post(f"/cases/{case}/assignee", "jiedaolead", {"assignee_id": JIEDAO})
    assert (refused.status_code, refused.json()["code"]) == (409, "wrong_step")
    assert (await api.get(f"/cases/{case}", "jiedao")).json()["holder_role"] == "provider"


async def test_retry_runs_blocked_automatic_work_again(api: Api, sessions: Sessions) -> None:
    case = await api.walk("registration")
    early = await api.post(f"/cases/{case}/retry", "minzheng", {"note": "重试"})
    assert (early.status_code, early.json()["code"]) == (409, "not_blocked")
    assert early.json()["message"] == "案件没有受阻的自动处理"

    row = CASES.c.id == uuid.UUID(case)
    async with sessions.begin() as s:  # the cause: a record the deadline recomputation cannot read
        await s.execute(update(CASES).where(row).values(step="no_such_step"))
    handle = api.temporal.get_workflow_handle_for(CaseWorkflow.run, case_workflow_id(uuid.UUID(case)))
    await handle.signal(CaseWorkflow.recompute_deadline)
    for _ in range(120):  # five attempts, 2 + 4 + 8 + 16 s apart, then the case is marked blocked
        state = await handle.query(CaseWorkflow.state)
        if state is not None and state.blocked is not None:
            break
        await asyncio.sleep(0.5)
    else:
        raise AssertionError("the case was never marked blocked")
    async with sessions.begin() as s:  # the cause is fixed
        await s.execute(update(CASES).where(row).values(step="registration"))
    blocked = (await api.get(f"/cases/{case}", "minzheng")).json()
    assert blocked["blocked_reason"].startswith("recompute_deadline: ")
    stuck = (await api.get("/supervision/stuck", "minzheng", reason="blocked", limit=200)).json()["items"]
    assert [c["reason"] for c in stuck if c["id"] == case] == ["blocked"]  # the supervisor's view shows it

    refused = await api.post(f"/cases/{case}/retry", "fuwu", {"note": "重试"})
    assert refused.status_code == 404  # a provider has no such case to act on
    retried = await api.ok(f"/cases/{case}/retry", "minzheng", {"note": "已修复数据"}, key="retry-1")
    assert (retried["step"], retried["holder_role"]) == ("registration", "township_worker")
    for _ in range(60):
        detail = (await api.get(f"/cases/{case}", "minzheng")).json()
        if detail["blocked_reason"] is None:
            break
        await asyncio.sleep(0.5)
    assert detail["blocked_reason"] is None and detail["due_on"] is not None
    assert [h["action"] for h in detail["history"]][-1] == "retry_blocked"
    state = await handle.query(CaseWorkflow.state)
    assert state is not None and state.blocked is None
