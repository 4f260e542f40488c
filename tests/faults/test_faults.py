"""The fault suite, small: cases walked while the worker is killed, Temporal is killed and restarted and
PostgreSQL is restarted (processes of their own); `python -m tests.faults --cases 50 --faults 12` for more."""

from __future__ import annotations

import pytest

from tests.conftest import SETTINGS
from tests.faults.run import Plan, run, summary


@pytest.mark.timeout(600)
async def test_cases_walked_through_killed_and_restarted_parts() -> None:
    plan = Plan(cases=6, faults=3)
    tally = await run(plan, SETTINGS)
    print("\nfaults:", summary(tally))
    assert not tally.findings, "\n".join(tally.findings)
    assert sum(tally.faults.values()) == plan.faults
    assert len(tally.cases) == plan.cases and tally.finished + tally.stuck == plan.cases
    assert tally.finished == plan.cases  # given the patience, every case got through
    assert tally.replayed_keys >= plan.cases * 8
    allowed = {"200", "201", "503"} | {s for s in tally.statuses if s.startswith("no answer")}
    assert set(tally.statuses) <= allowed, tally.statuses
