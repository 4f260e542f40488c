"""The case workflow on the dev server: validators refuse before anything is written; histories replay."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from temporalio.client import Client, WorkflowHistory, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.worker import Replayer, Worker

from infra.db import Sessions
from models.payloads.actor import Command
from models.payloads.forms import RegisterForm, ReviewForm
from tests.flow import APPROVE
from tests.workflows.driver import actor, start_case, step, walk_into_service
from workflows import process
from workflows.case import CaseWorkflow


async def test_validator_refuses_before_history_is_written(
    client: Client, sessions: Sessions, task_queue: str, worker: Worker
) -> None:
    handle = await start_case(client, sessions, task_queue)
    before = len((await handle.fetch_history()).events)
    for username, form, code in [
        ("xieliyuan", RegisterForm.model_validate({"need_category": "care"}), "wrong_role"),
        ("jiedao2", RegisterForm.model_validate({"need_category": "care"}), "out_of_jurisdiction"),
        ("jiedao", ReviewForm.model_validate(APPROVE), "wrong_step"),
    ]:
        update = process.REVIEW if isinstance(form, ReviewForm) else process.REGISTER
        with pytest.raises(WorkflowUpdateFailedError) as err:
            await step(handle, update, username, form)
        assert isinstance(err.value.cause, ApplicationError) and err.value.cause.type == code
    assert len((await handle.fetch_history()).events) == before


async def test_a_walked_case_replays_deterministically(
    client: Client, sessions: Sessions, task_queue: str, worker: Worker
) -> None:
    handle = await start_case(client, sessions, task_queue)
    await walk_into_service(handle)
    history = await handle.fetch_history()
    # Round-trip through JSON: the form in which histories of open cases are kept for replay checks.
    stored = WorkflowHistory.from_json(handle.id, json.loads(json.dumps(history.to_json_dict())))
    replayer = Replayer(workflows=[CaseWorkflow], data_converter=client.data_converter)
    await replayer.replay_workflow(stored)


# Not ours to encrypt: search attributes (codes only, by design), the SDK's own local-activity marker
# bookkeeping (sequence number, activity type, timestamps; the activity's result in the marker is ours) and a
# patch marker's id (`workflow.patched`: written by the SDK's core, never through the codec).
_NOT_USER_DATA = {"indexedFields", "data", "patch-data"}


def _payload_encodings(node: Any) -> set[bytes]:
    found: set[bytes] = set()
    if isinstance(node, dict):
        meta = node.get("metadata")
        if isinstance(meta, dict) and "encoding" in meta:
            found.add(base64.b64decode(meta["encoding"]))
        for key, value in node.items():
            if key not in _NOT_USER_DATA:
                found |= _payload_encodings(value)
    elif isinstance(node, list):
        for value in node:
            found |= _payload_encodings(value)
    return found


async def test_payloads_are_encrypted_in_history(
    client: Client, sessions: Sessions, task_queue: str, worker: Worker
) -> None:
    handle = await start_case(client, sessions, task_queue)
    await walk_into_service(handle)
    raw = (await handle.fetch_history()).to_json_dict()
    assert _payload_encodings(raw) == {b"binary/encrypted"}
    assert "需要助洁" not in json.dumps(raw, ensure_ascii=False)


async def test_an_action_not_in_the_table_cannot_happen(
    client: Client, sessions: Sessions, task_queue: str, worker: Worker
) -> None:
    handle = await start_case(client, sessions, task_queue)
    before = len((await handle.fetch_history()).events)
    form = RegisterForm.model_validate({"need_category": "care"})
    command = Command[Any](actor=actor("jiedao"), form=form)
    for name, code in [("approve_everything", "unknown_action"), ("review", "invalid_input"),
                       ("stop_services", "invalid_input")]:
        # An update the table does not declare, or a declared one with another action's form.
        with pytest.raises(WorkflowUpdateFailedError) as err:
            await handle.execute_update(name, command)
        assert isinstance(err.value.cause, ApplicationError) and err.value.cause.type == code, name
    assert len((await handle.fetch_history()).events) == before
    state = await handle.query(CaseWorkflow.state)
    assert state is not None and state.position.step.value == "registration" and state.seq == 1
