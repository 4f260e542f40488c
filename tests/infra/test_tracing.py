"""One trace spans the API request, the Temporal update it sends and the activity that writes the step: the
spans are collected by an in-memory exporter from a real API, a real dev server and a real worker.

The SDK's interceptor parents a workflow's spans to the request that started the workflow (the case's opening)
and links each later update's spans to the request that sent it: the opening is one trace end to end, and every
later step's handler and activity carry a link back to their request's span."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import datetime

import httpx
import pytest
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from activities.documents.store import DocumentStore
from api.deps import Resources
from api.main import create_app
from infra.db import Sessions
from infra.tracing import interceptors
from tests.conftest import SETTINGS
from tests.flow import Api
from vocabulary.china import CHINA
from worker import build_worker
from workflows import process

# The activities the process table names for opening and registering a case.
OPENS, REGISTERS = process.OPEN.writes.__name__, process.REGISTER.writes.__name__
SPANS = InMemorySpanExporter()
PROVIDER = TracerProvider()
PROVIDER.add_span_processor(SimpleSpanProcessor(SPANS))


@pytest.fixture
async def traced(dev_env: WorkflowEnvironment, sessions: Sessions, documents: DocumentStore) -> AsyncIterator[Api]:
    client = Client(**{**dev_env.client.config(), "interceptors": interceptors(PROVIDER)})
    task_queue = f"traced-{uuid.uuid4().hex}"
    settings = SETTINGS.model_copy(update={"task_queue": task_queue})
    app = create_app(settings)
    app.state.resources = Resources(settings=settings, sessions=sessions, temporal=client, documents=documents)
    FastAPIInstrumentor.instrument_app(app, tracer_provider=PROVIDER)
    async with build_worker(client, sessions, task_queue, documents):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://traced") as http:
            yield Api(http, settings, client, datetime.now(CHINA).date())


async def test_one_trace_runs_from_the_request_through_the_update_to_the_activity(traced: Api) -> None:
    SPANS.clear()
    case = await traced.open()  # POST /cases: update-with-start of the case workflow
    spans = SPANS.get_finished_spans()
    request = next(s for s in spans if s.name == "POST /cases")
    assert request.parent is None
    in_trace = {s.name for s in spans if s.context.trace_id == request.context.trace_id}
    for expected in ("StartUpdateWithStartWorkflow:CaseWorkflow", "HandleUpdate:open", f"StartActivity:{OPENS}",
                     f"RunActivity:{OPENS}"):
        assert expected in in_trace, (expected, sorted(s.name for s in spans))
    by_id = {s.context.span_id: s for s in spans}
    chain, span = [], next(s for s in spans if s.name == f"RunActivity:{OPENS}")
    while span is not None:  # walk up from the activity to the request
        chain.append(span.name)
        span = by_id.get(span.parent.span_id) if span.parent else None
    assert chain == [f"RunActivity:{OPENS}", f"StartActivity:{OPENS}", "StartUpdateWithStartWorkflow:CaseWorkflow",
                     "POST /cases"]

    SPANS.clear()
    await traced.to_survey(case)  # a later step: its handler and activity link back to this request
    spans = SPANS.get_finished_spans()
    request = next(s for s in spans if s.name == "POST /cases/{case_id}/registration")
    sent = next(s for s in spans if s.name == "StartWorkflowUpdate:register")
    assert sent.context.trace_id == request.context.trace_id
    handled = next(s for s in spans if s.name == "HandleUpdate:register")
    assert sent.context.span_id in {link.context.span_id for link in handled.links}
    ran = next(s for s in spans if s.name == f"RunActivity:{REGISTERS}")
    assert ran.context.trace_id == handled.context.trace_id
