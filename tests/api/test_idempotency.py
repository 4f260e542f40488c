"""Idempotency-Key: bound to the user, the operation and the request; "once" with the original answer for as
long as the key is kept, across continue-as-new (issue #11, defect 2 and defect 9's dedup test)."""

from __future__ import annotations

import uuid
from datetime import datetime

import httpx
from temporalio.testing import WorkflowEnvironment

from activities.documents.store import DocumentStore
from api.deps import Resources, get_today
from api.main import create_app
from devstack.seed import user_id
from infra.db import Sessions
from tests.conftest import SETTINGS
from tests.flow import APPROVE, PLAN, Api, new_person
from vocabulary.china import CHINA
from worker import build_worker
from workflows.case import CaseWorkflow
from workflows.visibility import case_workflow_id

KEY = uuid.uuid4().hex[:8]  # keys are the user's own, kept for good: unique per test run


async def _history(api: Api, case: str) -> list[str]:
    return [h["action"] for h in (await api.get(f"/cases/{case}", "jiedao")).json()["history"]]


async def test_a_key_reused_for_another_request_is_refused(api: Api) -> None:
    case = await api.open()
    registered = await api.ok(f"/cases/{case}/registration", "jiedao", {"need_category": "care"}, key=KEY + "k-reg")
    await api.ok(f"/cases/{case}/survey", "xieliyuan", {
        "visited_on": "2026-11-02", "surveyors": [{"name": "李协理", "role": "assistant"},
                                                  {"name": "刘村干", "role": "village_staff"}],
        "identity_checked": True, "signed_by_both": True,
        "assessments": [{"dimension": d, "score": 2} for d in ("economy", "health", "education", "housing",
                                                                "employment", "guardianship", "social_integration")],
        "own_requests": "无", "existing_benefits": []})
    review = await api.post(f"/cases/{case}/review", "jiedao", APPROVE, key=KEY + "k-reg")
    assert (review.status_code, review.json()["code"]) == (422, "idempotency_key_reused"), review.text
    assert "Idempotency-Key" in review.json()["message"]
    plan = await api.post(f"/cases/{case}/plan", "jiedao", PLAN, key=KEY + "k-reg")  # a provider-only step
    assert plan.status_code == 422 and plan.json()["code"] == "idempotency_key_reused"
    again = await api.ok(f"/cases/{case}/registration", "jiedao", {"need_category": "care"}, key=KEY + "k-reg")
    assert again == registered  # the same request: the original answer, as it was then
    assert await _history(api, case) == ["open", "register", "survey"]
    # A key is the user's own: another user may use the same string for their own request.
    other = await api.post(f"/cases/{case}/review", "jiedaolead", APPROVE, key=KEY + "k-reg")
    assert other.status_code == 200, other.text


async def test_a_create_key_reused_with_another_person_is_refused(api: Api) -> None:
    body = {"channel": "window", "need_description": "需要助洁", "person": new_person()}
    first = await api.ok("/cases", "jiedao", body, key=KEY + "k-open")
    other = await api.post("/cases", "jiedao", {**body, "person": new_person()}, key=KEY + "k-open")
    assert (other.status_code, other.json()["code"]) == (422, "idempotency_key_reused")
    same = await api.post("/cases", "jiedao", body, key=KEY + "k-open")
    assert (same.status_code, same.json()["id"]) == (200, first["id"])


async def test_a_key_means_once_across_continue_as_new(short_runs: WorkflowEnvironment, sessions: Sessions,
                                                        documents: DocumentStore) -> None:
    queue = f"test-{uuid.uuid4().hex}"
    settings = SETTINGS.model_copy(update={"task_queue": queue})
    app = create_app(settings)
    app.state.resources = Resources(settings=settings, sessions=sessions, temporal=short_runs.client,
                                    documents=documents)
    today = datetime.now(CHINA).date()
    app.dependency_overrides[get_today] = lambda: today
    async with build_worker(short_runs.client, sessions, queue), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, raise_app_exceptions=False), base_url="http://test") as http:
        api = Api(http, settings, short_runs.client, today)
        case = await api.open()
        handle = short_runs.client.get_workflow_handle_for(CaseWorkflow.run, case_workflow_id(uuid.UUID(case)))
        first_run = (await handle.describe()).run_id
        suspended = await api.ok(f"/cases/{case}/deadline/suspension", "jiedao", {"reason": "等待申请人补充证明"},
                                 key=KEY + "k-suspend")
        await api.ok(f"/cases/{case}/deadline/resumption", "jiedao", {})
        assignees = [str(user_id("jiedao")), str(user_id("jiedaolead"))]
        for i in range(66):  # more than the 64 update ids a case carries from run to run
            await api.ok(f"/cases/{case}/assignee", "jiedaolead", {"assignee_id": assignees[i % 2], "reason": "轮岗"})
        assert (await handle.describe()).run_id != first_run  # the case has continued as new
        again = await api.ok(f"/cases/{case}/deadline/suspension", "jiedao", {"reason": "等待申请人补充证明"},
                             key=KEY + "k-suspend")
        assert again == suspended  # the original answer (its seq and due date), not the case as it is now
        history = await _history(api, case)
        assert history.count("suspend_deadline") == 1, history
        assert (await api.state(case)).deadline is not None
        assert not (await api.state(case)).deadline.suspended  # type: ignore[union-attr]
