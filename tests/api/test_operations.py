"""What an operator sees: /metrics in Prometheus format, /health/live and /health/ready, and the request id."""

from __future__ import annotations

import asyncio
import uuid

from prometheus_client.parser import text_string_to_metric_families
from temporalio.testing import WorkflowEnvironment

from api import metrics
from tests.flow import Api


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def value(found: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


async def scrape(api: Api) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    metrics.PROJECTION.at = 0.0  # read the projection now, not the cached counts
    r = await api.http.get("/metrics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    return samples(r.text)


async def test_metrics_count_requests_steps_refusals_and_open_cases(api: Api) -> None:
    before = await scrape(api)
    case = await api.walk(until="review")
    refused = await api.post(f"/cases/{case}/registration", "jiedao", {"need_category": "living"})
    assert refused.json()["code"] == "wrong_step"
    after = await scrape(api)

    route = "/cases/{case_id}/registration"
    for name, labels, grew in (
        ("assistflow_http_requests_total", {"route": route, "method": "POST", "status": "200"}, 1),
        ("assistflow_http_requests_total", {"route": route, "method": "POST", "status": "409"}, 1),
        ("assistflow_step_advances_total", {"action": "register", "outcome": "advanced", "step": "survey"}, 1),
        ("assistflow_step_advances_total", {"action": "survey", "outcome": "advanced", "step": "review"}, 1),
        ("assistflow_step_advances_total", {"action": "register", "outcome": "refused", "step": ""}, 1),
        ("assistflow_refusals_total", {"code": "wrong_step", "status": "409"}, 1),
        ("assistflow_http_request_duration_seconds_count", {"route": route, "method": "POST"}, 2),
    ):
        assert value(after, name, **labels) - value(before, name, **labels) == grew, (name, labels)
    # No raw path (with a case id) ever becomes a label.
    assert not [k for k in after if any(case in v for _, v in k[1])]
    open_review = value(after, "assistflow_open_cases", county="341702", step="review")
    assert open_review - value(before, "assistflow_open_cases", county="341702", step="review") == 1
    assert ("assistflow_overdue_cases", (("county", "341702"), ("step", "review"))) in after


async def test_health_live_ready_and_the_old_health(api: Api, dev_env: WorkflowEnvironment) -> None:
    assert (await api.http.get("/health/live")).json() == {"status": "ok"}
    assert (await api.http.get("/health")).json() == {"status": "ok"}
    for _ in range(50):  # the test's worker has just started: its first poll may take a moment under load
        ready = await api.http.get("/health/ready")
        if ready.status_code == 200:
            break
        await asyncio.sleep(0.2)
    assert ready.status_code == 200, ready.text
    checks = ready.json()["checks"]
    assert checks["database"] == "ok" and checks["temporal"] == "ok" and checks["worker"].startswith("ok")

    # The same API pointed at a task queue nobody polls is not ready, and says why.
    api.http._transport.app.state.resources.settings = api.settings.model_copy(  # type: ignore[attr-defined]
        update={"task_queue": f"nobody-{uuid.uuid4().hex}"})
    unready = await api.http.get("/health/ready")
    assert unready.status_code == 503
    assert unready.json()["status"] == "unavailable" and "no worker polling" in unready.json()["checks"]["worker"]


async def test_every_response_carries_a_request_id_and_keeps_a_sane_one_given(api: Api) -> None:
    fresh = await api.http.get("/health/live")
    assert len(fresh.headers["x-request-id"]) == 32
    given = await api.http.get("/health/live", headers={"X-Request-ID": "lb-1234abcd"})
    assert given.headers["x-request-id"] == "lb-1234abcd"
    odd = await api.http.get("/health/live", headers={"X-Request-ID": "<script>"})
    assert odd.headers["x-request-id"] != "<script>"
