"""The recorded histories of every workflow type (tests/replay/histories/, made by `python -m tests.replay.record`)
replayed against the current code: a change that would break a years-long open case fails here, not in a county.
How to change a workflow without breaking them: README, "Changing a workflow"."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer, UnsandboxedWorkflowRunner
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from infra.temporal import data_converter
from tests.conftest import SETTINGS
from worker import _PASSTHROUGH, WORKFLOWS

HISTORIES = Path(__file__).resolve().parent / "histories"


def _histories() -> list[WorkflowHistory]:
    out = []
    for path in sorted(HISTORIES.glob("*.json")):
        data = json.loads(path.read_text())
        out.append(WorkflowHistory.from_json(data["workflow_id"], data["history"]))
    return out


def _types(histories: list[WorkflowHistory]) -> set[str]:
    return {h.events[0].workflow_execution_started_event_attributes.workflow_type.name for h in histories}


def _sandbox() -> SandboxedWorkflowRunner:
    return SandboxedWorkflowRunner(restrictions=SandboxRestrictions.default.with_passthrough_modules(*_PASSTHROUGH))


@pytest.mark.parametrize("where", ["as deployed", "every workflow in the sandbox"])
async def test_every_recorded_history_replays_on_the_current_code(where: str) -> None:
    """As deployed the case workflow runs outside the sandbox (`sandboxed=False`, for speed); the second pass
    runs it inside anyway, so a non-deterministic call (the clock, randomness, I/O) still fails here."""
    histories = _histories()
    assert _types(histories) == {w.__name__ for w in WORKFLOWS}, "record every workflow type"
    replayer = Replayer(
        workflows=list(WORKFLOWS), data_converter=data_converter(SETTINGS.payload_key), workflow_runner=_sandbox(),
        unsandboxed_workflow_runner=UnsandboxedWorkflowRunner() if where == "as deployed" else _sandbox(),
    )
    async def each() -> AsyncIterator[WorkflowHistory]:
        for history in histories:
            yield history

    results = await replayer.replay_workflows(each(), raise_on_replay_failure=False)
    failures = {k: str(v)[:3000] for k, v in results.replay_failures.items()}
    print(f"\nreplayed {len(histories)} histories of {len(_types(histories))} workflow types")
    assert not failures, failures


def test_the_recordings_hold_what_they_claim() -> None:
    """Timers fired, escalation rungs ran, continue-as-new happened: a recording without them proves little."""
    text = {p.stem: p.read_text() for p in HISTORIES.glob("*.json")}
    case_runs = [t for name, t in text.items() if name.startswith("case-timers")]
    assert len(case_runs) >= 3  # the first run continued as new at each monthly review
    joined = "".join(case_runs)
    assert "EVENT_TYPE_TIMER_FIRED" in joined
    assert '"activityType": {\n     "name": "escalate"' in joined or '"name": "escalate"' in joined
    assert "EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW" in joined
    assert "EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED" in joined  # the calendar reload's recompute
    assert len([n for n in text if n.startswith("case-suggested")]) >= 2
