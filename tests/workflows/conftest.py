from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest
from temporalio.testing import WorkflowEnvironment

from assistflow import devtools
from assistflow.temporal import data_converter
from assistflow.workflows.rules import SEARCH_ATTRIBUTES
from tests.conftest import SETTINGS


@pytest.fixture(scope="session")
async def ts_env() -> AsyncIterator[WorkflowEnvironment]:
    """The time-skipping test server, for tests that need months to pass."""
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=devtools.temporal_test_server(),
        data_converter=data_converter(SETTINGS.payload_key),
    )
    await env.client.operator_service.add_search_attributes(AddSearchAttributesRequest(
        namespace=env.client.namespace,
        search_attributes={k.name: IndexedValueType.ValueType(k.indexed_value_type) for k in SEARCH_ATTRIBUTES},
    ))
    yield env
    await env.shutdown()


@pytest.fixture
async def fresh_ts_env() -> AsyncIterator[WorkflowEnvironment]:
    """A time-skipping server of its own: its clock starts at today's real time, whatever others skipped."""
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=devtools.temporal_test_server(),
        data_converter=data_converter(SETTINGS.payload_key),
    )
    await env.client.operator_service.add_search_attributes(AddSearchAttributesRequest(
        namespace=env.client.namespace,
        search_attributes={k.name: IndexedValueType.ValueType(k.indexed_value_type) for k in SEARCH_ATTRIBUTES},
    ))
    yield env
    await env.shutdown()
