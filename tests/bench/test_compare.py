"""bench.compare runs end to end (so it cannot rot): both services walk two cases, the floors run, the figures
come out. Nothing about speed is asserted — that is what the bench prints, not what a test checks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_compare_walks_both_services_and_reports(tmp_path: Path) -> None:
    out = tmp_path / "compare.json"
    run = subprocess.run(
        [sys.executable, "-m", "bench.compare", "--quick", "--cases", "2", "--warmup", "0", "--concurrency", "2",
         "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=240,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    figures = json.loads(out.read_text())
    at2 = figures["runs"]["2"]
    for side in ("assistflow", "peer"):
        # every one of the 8 requests per case answered as the walk expects (the walk raises otherwise)
        assert set(at2[side]["per_step"]) == {"open case", "registration", "survey", "review", "referral",
                                              "provider acceptance", "service plan", "archive"}
    assert at2["history"]["cases"] == 2 and at2["history"]["events_per_case"] > 0
    assert at2["floor"]["floor_p50_ms"] > 0
    assert set(figures["goals"]) >= {"step p50 at C=2 / honest floor", "history events per step"}
    assert "goal (issue #12)" in run.stdout
