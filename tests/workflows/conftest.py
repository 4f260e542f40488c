from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest
from temporalio.testing import WorkflowEnvironment

from assistflow import devtools
from assistflow.temporal import data_converter
from assistflow.workflows.rules import SEARCH_ATTRIBUTES
from tests.conftest import SETTINGS


@asynccontextmanager
async def time_skipping() -> AsyncIterator[WorkflowEnvironment]:
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=devtools.temporal_test_server(),
        data_converter=data_converter(SETTINGS.payload_key),
    )
    await env.client.operator_service.add_search_attributes(AddSearchAttributesRequest(
        namespace=env.client.namespace,
        search_attributes={k.name: IndexedValueType.ValueType(k.indexed_value_type) for k in SEARCH_ATTRIBUTES},
    ))
    try:
        yield env
    finally:
        await env.shutdown()


@pytest.fixture(scope="session")
async def ts_env() -> AsyncIterator[WorkflowEnvironment]:
    """The time-skipping test server, for tests that need months to pass (its clock only moves forward)."""
    async with time_skipping() as env:
        yield env


@pytest.fixture
async def fresh_ts_env() -> AsyncIterator[WorkflowEnvironment]:
    """A time-skipping server of its own: its clock starts at today's real time, whatever others skipped."""
    async with time_skipping() as env:
        yield env
