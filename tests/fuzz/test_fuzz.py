"""Schemathesis over every operation of the OpenAPI document, with a token of each role, and along its links,
against the API and the worker as processes on real PostgreSQL and the Temporal dev server: zero 5xx, zero
responses the document does not describe. Bounded for CI; `python -m tests.fuzz` runs bigger."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from temporalio.testing import WorkflowEnvironment

from tests.conftest import SETTINGS
from tests.fuzz.run import fuzz
from tests.fuzz.stack import Live, live_service

EXAMPLES = 2  # per operation and role in CI (x 7 roles x every operation)
STEPS = 30  # stateful steps along the links


@pytest.fixture(scope="module")
def live(database_url: str, dev_env: WorkflowEnvironment) -> Iterator[Live]:
    with live_service(database_url, dev_env.client.service_client.config.target_host, SETTINGS) as service:
        yield service


def test_every_operation_as_every_role_answers_as_documented(live: Live) -> None:
    report = fuzz(live.base_url, live.tokens, EXAMPLES, STEPS)
    print(f"\nfuzzing: {report.operations} operations, {report.requests} requests "
          f"({report.stateful_steps} stateful), statuses {dict(sorted(report.statuses.items()))}")
    assert not report.findings, "\n\n".join(f"{k}: {v}" for k, v in sorted(report.findings.items()))
    assert report.operations >= 60 and report.requests >= report.operations * len(live.tokens)
    assert not any(s >= 500 for s in report.statuses)
