"""A tiny run of bench.capacity, so the script keeps working: real dev server, real worker process, real
database. The figures are printed by hand-run simulations; here only that every review happened once."""

from __future__ import annotations

import uuid

from temporalio.testing import WorkflowEnvironment

from bench.capacity import report, simulate
from tests.conftest import SETTINGS


async def test_a_small_simulation_reviews_every_case_once(dev_env: WorkflowEnvironment, database_url: str) -> None:
    settings = SETTINGS.model_copy(update={"database_url": database_url,
                                           "task_queue": f"capacity-{uuid.uuid4().hex[:8]}"})
    address = dev_env.client.service_client.config.target_host
    # A county nobody in the demo seed works in, so other tests' inboxes never see these cases.
    out = await simulate(dev_env.client, settings, address, n=12, window=3.0, start_budget=6.0,
                         village="349901001001")
    assert out["reviewed"] == 12, out
    assert out["review_run_history"]["events"] > 5 and out["worker_peak_rss_mb"] > 0
    assert "reviews" in report(out)
